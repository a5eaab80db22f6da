-- For a map: the latest value of one indicator in each oblast and city.
-- Parameters:
--   $indicator  indicator_id to map
--   $year_to    latest year to consider (INTEGER); NULL = no limit
--   $tiers      source tiers to include (VARCHAR[]); NULL = all tiers
-- For each region of type oblast or city (never the whole country or a supranational area), the
-- latest single year <= $year_to that has a fact, and the preferred fact of that year: best-ranked
-- tier, then latest published source (unknown dates last), then source_id. Regions without any
-- matching fact are left out. n_values / n_distinct_values count the facts of that region and year.
WITH dated_facts AS (
    SELECT
        f.*,
        CASE WHEN regexp_full_match(f.period, '[0-9]{4}') THEN TRY_CAST(f.period AS INTEGER) END AS year
    FROM facts AS f
    WHERE f.indicator_id = CAST($indicator AS VARCHAR)
),
candidates AS (
    SELECT
        f.indicator_id, i.name AS indicator_name, f.unit,
        f.region, r.name_en, r.name_ru, r.name_kk, r.type AS region_type,
        f.period, f.year, f.value, f.value_high, f.qualifier, f.event_id, f.note, f.ref,
        f.source_id, s.publisher, s.title, s.published, s.url, s.language,
        s.tier, t.rank AS tier_rank, t.label AS tier_label
    FROM dated_facts AS f
    JOIN indicators AS i USING (indicator_id)
    JOIN regions AS r ON r.iso_code = f.region
    JOIN sources AS s USING (source_id)
    JOIN tiers AS t ON t.tier = s.tier
    WHERE f.year IS NOT NULL
      AND r.type IN ('oblast', 'city')
      AND (CAST($year_to AS INTEGER) IS NULL OR f.year <= CAST($year_to AS INTEGER))
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), s.tier))
),
latest_year AS (
    SELECT * FROM candidates
    QUALIFY year = max(year) OVER (PARTITION BY region)
)
SELECT
    *,
    count(*) OVER (PARTITION BY region) AS n_values,
    count(DISTINCT (value, value_high)) OVER (PARTITION BY region) AS n_distinct_values,
    TRUE AS is_preferred
FROM latest_year
QUALIFY row_number() OVER (
    PARTITION BY region
    ORDER BY tier_rank, published DESC NULLS LAST, source_id, value
) = 1
ORDER BY region
