-- Every fact with its indicator, region names and source: the "download all data" table, and with
-- $regions set to one region, that region's profile table. Ordered by indicator, region and period
-- (blank last).
-- Parameters (each NULL = no restriction):
--   $indicator         one indicator_id
--   $indicator_prefix  indicator_ids starting with this text (e.g. a breakdown 'ngo_field_share__')
--   $category          indicator category (ngos, public_councils, funding, forums, context)
--   $regions           region codes (VARCHAR[])
--   $tiers             source tiers (VARCHAR[])
--   $source_id         one source_id
--   $single_year       TRUE = only single-year periods; FALSE = only ranges and blank periods
--   $limit             at most this many rows (the first in the order below); NULL = all
-- year is set only for single-year periods. is_preferred, n_values and n_distinct_values refer to
-- the facts of the same indicator, region, period and forum edition (blank periods form one group);
-- the preferred one follows the rule in views/fact_details.sql.
WITH chosen_facts AS (
    SELECT *
    FROM fact_details
    WHERE (CAST($indicator AS VARCHAR) IS NULL OR indicator_id = CAST($indicator AS VARCHAR))
      AND (CAST($indicator_prefix AS VARCHAR) IS NULL OR starts_with(indicator_id, CAST($indicator_prefix AS VARCHAR)))
      AND (CAST($category AS VARCHAR) IS NULL OR category = CAST($category AS VARCHAR))
      AND (CAST($regions AS VARCHAR[]) IS NULL OR list_contains(CAST($regions AS VARCHAR[]), region))
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
      AND (CAST($source_id AS VARCHAR) IS NULL OR source_id = CAST($source_id AS VARCHAR))
      -- year is set exactly for the single-year periods
      AND (CAST($single_year AS BOOLEAN) IS NULL OR (year IS NOT NULL) = CAST($single_year AS BOOLEAN))
),
-- The points the first $limit rows belong to: within a point the preferred fact has the lowest
-- preference_rank, so this order puts the same rows first as the final one, and the window statistics
-- below run over these points only, not over every fact of a large region or category.
shown_points AS (
    SELECT DISTINCT indicator_id, region, period, event_id
    FROM (
        SELECT indicator_id, region, period, event_id
        FROM chosen_facts
        ORDER BY indicator_id, region, period NULLS LAST, event_id NULLS FIRST, preference_rank
        LIMIT CAST($limit AS BIGINT)
    )
)
SELECT
    f.* EXCLUDE (preference_rank),
    row_number() OVER (point ORDER BY f.preference_rank) = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (f.value, f.value_high)) OVER point AS n_distinct_values
FROM chosen_facts AS f
SEMI JOIN shown_points AS p
    ON f.indicator_id = p.indicator_id
    AND f.region = p.region
    AND f.period IS NOT DISTINCT FROM p.period
    AND f.event_id IS NOT DISTINCT FROM p.event_id
WINDOW point AS (PARTITION BY f.indicator_id, f.region, f.period, f.event_id)
ORDER BY indicator_id, region, period NULLS LAST, event_id NULLS FIRST, is_preferred DESC, f.preference_rank
LIMIT CAST($limit AS BIGINT)
