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
SELECT
    * EXCLUDE (preference_rank),
    row_number() OVER (point ORDER BY preference_rank) = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
FROM fact_details
WHERE region = CAST($region AS VARCHAR)
  AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
-- The region is fixed above, so a point is an indicator, period and forum edition.
WINDOW point AS (PARTITION BY indicator_id, period, event_id)
ORDER BY category, indicator_id, period NULLS LAST, event_id NULLS FIRST, is_preferred DESC, preference_rank
LIMIT CAST($limit AS BIGINT)
