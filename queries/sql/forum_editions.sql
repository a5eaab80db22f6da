-- One row per Civil Forum edition (events.csv), national editions first, then city forums, each by
-- number. No parameters.
-- Each edition carries its preferred number of delegates, participants, platforms and proposals among the
-- facts whose event_id names it (the rule in views/fact_details.sql) with that fact's value_high,
-- qualifier and source_id, and how many facts exist for each figure (*_n_values), so conflicting
-- figures can be flagged.
WITH edition_facts AS (
    -- Only an edition's preferred fact of each figure keeps its values, so that any_value() below takes
    -- them: PIVOT puts its own filter on each aggregate and drops one written in USING.
    SELECT
        e.event_id, f.indicator_id,
        CASE WHEN row_number() OVER point = 1 THEN f.value END AS value,
        CASE WHEN row_number() OVER point = 1 THEN f.value_high END AS value_high,
        CASE WHEN row_number() OVER point = 1 THEN f.qualifier END AS qualifier,
        CASE WHEN row_number() OVER point = 1 THEN f.source_id END AS source_id
    FROM events AS e
    -- Every edition has a row, those without figures one with no indicator: their counts are 0.
    LEFT JOIN fact_details AS f
        ON f.event_id = e.event_id
        AND f.indicator_id IN ('forum_delegates', 'forum_participants', 'forum_platforms', 'forum_proposals')
    WINDOW point AS (PARTITION BY e.event_id, f.indicator_id ORDER BY f.preference_rank)
),
figures AS (
    PIVOT edition_facts
    ON indicator_id IN ('forum_delegates' AS delegates, 'forum_participants' AS participants,
                        'forum_platforms' AS platforms, 'forum_proposals' AS proposals)
    USING any_value(value) AS value, any_value(value_high) AS high, any_value(qualifier) AS qualifier,
          any_value(source_id) AS source_id, count(*) AS n_values
    GROUP BY event_id
)
SELECT
    e.*,
    r.name_en, r.name_ru, r.name_kk,
    -- The figure itself is named for what it counts ("delegates"), beside "delegates_high" and the rest.
    COLUMNS('^(delegates|participants|platforms|proposals)_value$') AS '\1',
    COLUMNS('^(delegates|participants|platforms|proposals)_(high|qualifier|source_id|n_values)$')
FROM events AS e
JOIN regions AS r ON r.iso_code = e.region
JOIN figures AS fig USING (event_id)
ORDER BY e.scope <> 'national', e.scope, e.number, e.event_id
