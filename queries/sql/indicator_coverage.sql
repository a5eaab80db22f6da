-- Where and when each indicator has dated facts: the only filter values that can change its charts.
-- No parameters. One row per indicator with at least one single-year fact (the facts a time series
-- or a map draws; ranges and blank periods are left out as there):
--   regions                 the regions of those facts (VARCHAR[], sorted)
--   first_year / last_year  the range of their years
-- Any tier is counted, so the coverage of every tier filter lies within it: a region filter naming
-- other regions, or a year bound outside [first_year, last_year], leaves the same facts.
SELECT
    indicator_id,
    list(DISTINCT region ORDER BY region) AS regions,
    min(year) AS first_year,
    max(year) AS last_year
FROM fact_details
WHERE year IS NOT NULL
GROUP BY indicator_id
ORDER BY indicator_id
