-- Facts and statements that contain every word and every number a reader searched for (the "Find a figure" page).
-- Parameters:
--   $words       lowercased words (VARCHAR[]). Each must begin a word (case-insensitively) in
--                the figure's text: its indicator's name and definition in English, Russian and Kazakh,
--                its region's names, period, note, source publisher, title and date, the Civil Forum
--                edition and city, and the words $code_words gives for its qualifier, unit, tier and statement.
--   $numbers     the numbers searched for (DOUBLE[][]): one list per number of the values it stands for
--                ("100" for 100, 100 million and 100 billion; "100 million" for 100000000 only). Each number
--                matches when one of its values is the figure's value or upper value, or a number written
--                in its period, note or source title (a year, "of 216 applications").
--   $code_keys   'qualifier:<qualifier>', 'unit:<unit>', 'tier:<tier>' and 'statement:<statement>' (VARCHAR[])
--   $code_words  the words readers see for each code, in the same order (VARCHAR[]), e.g. for
--                'qualifier:about' "about около шамамен"; data files store only the code
--   $limit       at most this many rows (the first in the order below); NULL = all
-- A statement (a finding in words, such as a rating) has no value: statement is set instead. year is
-- set only for single-year periods. n_matches is the number of matching rows before the limit.
-- Ordered by indicator, the country before its regions, then newest period first and best tier first.
WITH figures AS (
    SELECT
        indicator_id, region, period, year, value, value_high, qualifier, unit, NULL::VARCHAR AS statement,
        event_id, note, source_id
    FROM fact_details
    UNION ALL
    SELECT
        indicator_id, region, period,
        CASE WHEN regexp_full_match(period, '[0-9]{4}') THEN TRY_CAST(period AS INTEGER) END,
        NULL, NULL, NULL, NULL, statement, NULL, note, source_id
    FROM statements
),
described AS (
    SELECT
        f.*,
        i.name AS indicator_name, i.name_ru AS indicator_name_ru, i.name_kk AS indicator_name_kk, i.category,
        r.name_en, r.name_ru, r.name_kk,
        s.publisher, s.title, s.published, s.url, s.tier, t.rank AS tier_rank,
        -- Lowercased, every run of characters other than letters and digits one space, and a space first:
        -- a word searched for must start where a word of the text starts ("eu" finds "EU-funded", not "museum").
        ' ' || regexp_replace(lower(concat_ws(' ',
            i.name, i.name_ru, i.name_kk, i.definition, i.definition_ru, i.definition_kk,
            r.name_en, r.name_ru, r.name_kk, f.period, f.note, s.publisher, s.title, s.published,
            e.edition, e.city, e.city_ru, e.city_kk,
            list_extract(CAST($code_words AS VARCHAR[]), list_position(CAST($code_keys AS VARCHAR[]), 'qualifier:' || f.qualifier)),
            list_extract(CAST($code_words AS VARCHAR[]), list_position(CAST($code_keys AS VARCHAR[]), 'unit:' || i.unit)),
            list_extract(CAST($code_words AS VARCHAR[]), list_position(CAST($code_keys AS VARCHAR[]), 'tier:' || s.tier)),
            list_extract(CAST($code_words AS VARCHAR[]), list_position(CAST($code_keys AS VARCHAR[]), 'statement:' || f.statement))
        )), '[^\pL\pN]+', ' ', 'g') AS searched_text,
        list_transform(regexp_extract_all(concat_ws(' ', f.period, f.note, s.title), '[0-9]+'),
                       lambda digits: CAST(digits AS DOUBLE)) AS written_numbers
    FROM figures AS f
    JOIN indicators AS i USING (indicator_id)
    JOIN regions AS r ON r.iso_code = f.region
    JOIN sources AS s USING (source_id)
    JOIN tiers AS t ON t.tier = s.tier
    LEFT JOIN events AS e USING (event_id)
)
SELECT
    * EXCLUDE (searched_text, written_numbers),
    count(*) OVER () AS n_matches
FROM described
-- No word missing from the text, and no number without a value it stands for.
WHERE len(list_filter(CAST($words AS VARCHAR[]), lambda word: NOT contains(searched_text, ' ' || word))) = 0
  AND len(list_filter(CAST($numbers AS DOUBLE[][]), lambda stands_for:
          NOT list_has_any(stands_for, list_concat([value, value_high], written_numbers)))) = 0
ORDER BY indicator_id, region <> 'KZ', region, period DESC NULLS LAST, tier_rank, source_id, value
LIMIT CAST($limit AS BIGINT)
