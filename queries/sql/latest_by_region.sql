-- For a map: the latest value of one indicator in each oblast and city.
-- Parameters:
--   $indicator  indicator_id to map
--   $year_to    latest year to consider (INTEGER); NULL = no limit
--   $tiers      source tiers to include (VARCHAR[]); NULL = all tiers
-- For each region of type oblast or city (never the whole country or a supranational area), the
-- latest single year <= $year_to that has a fact, and the preferred fact of that year (the rule in
-- views/fact_details.sql). Regions without any matching fact are left out. n_values /
-- n_distinct_values count the facts of that region and year.
WITH latest_year AS (
    SELECT * EXCLUDE (category)  -- one indicator, so its category is not returned
    FROM fact_details
    WHERE indicator_id = CAST($indicator AS VARCHAR)
      AND year IS NOT NULL
      AND region_type IN ('oblast', 'city')
      AND (CAST($year_to AS INTEGER) IS NULL OR year <= CAST($year_to AS INTEGER))
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
    QUALIFY year = max(year) OVER (PARTITION BY region)
)
SELECT
    * EXCLUDE (preference_rank),
    count(*) OVER (PARTITION BY region) AS n_values,
    count(DISTINCT (value, value_high)) OVER (PARTITION BY region) AS n_distinct_values,
    TRUE AS is_preferred
FROM latest_year
QUALIFY row_number() OVER (PARTITION BY region ORDER BY preference_rank) = 1
ORDER BY region
