-- A count or an amount set against the population of the same place and year: NGOs per 10,000
-- residents, money per resident.
-- Parameters:
--   $indicator  indicator_id of the count or amount (ngos_operating, ngos_registered,
--               state_social_order_amount, ...)
--   $regions    region codes to include (VARCHAR[]); NULL = every region, the whole country included
--   $tiers      source tiers to include (VARCHAR[]), for both figures; NULL = all tiers
-- One row per region and year where both figures exist, and only then: the count filed under year Y
-- is set against the population at 1 January of Y (population facts are filed under the year whose
-- 1 January they count). A count without a population of the same year gives no row; nothing is
-- carried over from another year.
-- Each figure is the preferred fact of its point (the rule in views/fact_details.sql). The
-- population must be exact: dividing by a bound ("more than 20 million") would turn the bound
-- round, so among the exact population figures of a region and year the preferred one is taken
-- (where the bureau revised a count, the revised one when its source is preferred); n_population_values
-- says how many population figures the point has. The count keeps its qualifier: "more than 700"
-- NGOs gives "more than" that many per 10,000 residents, and a range gives a range.
-- per_residents is 10,000 for counts and 1 for money (KZT, USD, EUR), so
-- per_resident_value = value * per_residents / population_value.
-- Both facts' sources are returned (count_* and population_*) so that both can be cited.
WITH counts AS (
    SELECT
        *,
        count(*) OVER (PARTITION BY region, year) AS n_values
    FROM fact_details
    WHERE indicator_id = CAST($indicator AS VARCHAR)
      AND year IS NOT NULL
      AND event_id IS NULL
      AND (CAST($regions AS VARCHAR[]) IS NULL OR list_contains(CAST($regions AS VARCHAR[]), region))
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
    QUALIFY row_number() OVER (PARTITION BY region, year ORDER BY preference_rank) = 1
),
populations AS (
    SELECT
        *,
        count(*) OVER (PARTITION BY region, year) AS n_population_values
    FROM fact_details
    WHERE indicator_id = 'population'
      AND year IS NOT NULL
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
    -- The count of figures is taken before the exact one is picked, so it counts them all.
    QUALIFY qualifier = 'exact'
        AND row_number() OVER (PARTITION BY region, year, qualifier = 'exact' ORDER BY preference_rank) = 1
)
SELECT
    c.indicator_id, c.indicator_name, c.indicator_name_ru, c.indicator_name_kk, c.unit,
    c.region, c.name_en, c.name_ru, c.name_kk, c.region_type,
    c.year,
    CASE WHEN c.unit IN ('KZT', 'USD', 'EUR') THEN 1 ELSE 10000 END AS per_residents,
    c.value * per_residents / p.value AS per_resident_value,
    c.value_high * per_residents / p.value AS per_resident_value_high,
    c.qualifier,
    c.value, c.value_high, c.note, c.n_values,
    c.source_id AS count_source_id, c.publisher AS count_publisher, c.title AS count_title,
    c.published AS count_published, c.url AS count_url,
    c.tier AS count_tier, c.tier_rank AS count_tier_rank, c.tier_label AS count_tier_label,
    p.value AS population_value, p.note AS population_note, p.n_population_values,
    p.source_id AS population_source_id, p.publisher AS population_publisher, p.title AS population_title,
    p.published AS population_published, p.url AS population_url,
    p.tier AS population_tier, p.tier_rank AS population_tier_rank, p.tier_label AS population_tier_label
FROM counts AS c
JOIN populations AS p ON p.region = c.region AND p.year = c.year
ORDER BY c.region, c.year
