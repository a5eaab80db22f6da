-- Every dated fact of some indicators: the data behind a time-series chart.
-- Parameters:
--   $indicators indicator_ids to chart (VARCHAR[]); their facts come in this order, one after another
--               (one question for a chart of several indicators, not one per indicator)
--   $regions    region codes to include (VARCHAR[]); NULL = all regions
--   $year_from  first year to include (INTEGER); NULL = no lower bound
--   $year_to    last year to include (INTEGER); NULL = no upper bound
--   $tiers      source tiers to include (VARCHAR[]); NULL = all tiers
-- Only single-year periods are returned: ranges ("2023-2025") and blank periods never go on a time
-- axis. is_preferred, n_values and n_distinct_values are computed after filtering, so the preferred
-- value is the best one among those the chart shows.
-- A point is (indicator, region, period, event); its preferred value follows the rule in
-- views/fact_details.sql.
SELECT
    * EXCLUDE (category, preference_rank),  -- a chart does not need the category
    row_number() OVER (point ORDER BY preference_rank) = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
FROM fact_details
WHERE list_contains(CAST($indicators AS VARCHAR[]), indicator_id)
  AND year IS NOT NULL
  AND (CAST($regions AS VARCHAR[]) IS NULL OR list_contains(CAST($regions AS VARCHAR[]), region))
  AND (CAST($year_from AS INTEGER) IS NULL OR year >= CAST($year_from AS INTEGER))
  AND (CAST($year_to AS INTEGER) IS NULL OR year <= CAST($year_to AS INTEGER))
  AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
WINDOW point AS (PARTITION BY indicator_id, region, period, event_id)
ORDER BY list_position(CAST($indicators AS VARCHAR[]), indicator_id), region, year, is_preferred DESC, preference_rank
