-- Every fact about one region: dated, multi-year ranges and undated, for the region's profile table.
-- Parameters:
--   $region  region code (e.g. KZ, KZ-75)
--   $tiers   source tiers to include (VARCHAR[]); NULL = all tiers
--   $limit   at most this many rows (the first in the order below); NULL = all
-- Each fact carries its indicator's name, category and unit and its source. year is set only for
-- single-year periods. is_preferred, n_values and n_distinct_values are computed after the tier
-- filter over the facts of the same indicator, period and forum edition (blank periods form one
-- group); the preferred one follows the rule in views/fact_details.sql. Ordered by category,
-- indicator, period (blank last).
WITH region_facts AS (
    SELECT *
    FROM fact_details
    WHERE region = CAST($region AS VARCHAR)
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
),
-- The points the first $limit rows belong to. Within a point the preferred fact has the lowest
-- preference_rank, so ordering by preference_rank puts the same rows first as the final order; the
-- window statistics below then run over these points only, not over every fact of a large region.
shown_points AS (
    SELECT DISTINCT indicator_id, period, event_id
    FROM (
        SELECT indicator_id, period, event_id
        FROM region_facts
        ORDER BY category, indicator_id, period NULLS LAST, event_id NULLS FIRST, preference_rank
        LIMIT CAST($limit AS BIGINT)
    )
)
SELECT
    f.* EXCLUDE (preference_rank),
    row_number() OVER (point ORDER BY f.preference_rank) = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (f.value, f.value_high)) OVER point AS n_distinct_values
FROM region_facts AS f
SEMI JOIN shown_points AS p
    ON f.indicator_id = p.indicator_id
    AND f.period IS NOT DISTINCT FROM p.period
    AND f.event_id IS NOT DISTINCT FROM p.event_id
-- The region is fixed above, so a point is an indicator, period and forum edition.
WINDOW point AS (PARTITION BY f.indicator_id, f.period, f.event_id)
ORDER BY category, indicator_id, period NULLS LAST, event_id NULLS FIRST, is_preferred DESC, f.preference_rank
LIMIT CAST($limit AS BIGINT)
