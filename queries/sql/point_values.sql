-- Every fact behind one chart point, to list them under the chart.
-- Parameters:
--   $indicator  indicator_id
--   $region     region code
--   $year       the single year of the point (INTEGER)
-- All sources and tiers are listed, preferred value first (the rule in views/fact_details.sql). A
-- point holds the facts of one period; facts tied to different forum editions (event_id) are
-- separate points.
SELECT
    * EXCLUDE (category, preference_rank),  -- one indicator, so its category is not returned
    row_number() OVER (point ORDER BY preference_rank) = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
FROM fact_details
WHERE indicator_id = CAST($indicator AS VARCHAR)
  AND region = CAST($region AS VARCHAR)
  AND period = CAST(CAST($year AS INTEGER) AS VARCHAR)
-- Indicator, region and period are fixed above, so only the forum edition still splits points.
WINDOW point AS (PARTITION BY event_id)
ORDER BY is_preferred DESC, preference_rank
