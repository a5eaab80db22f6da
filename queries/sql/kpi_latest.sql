-- Headline figures: the latest value of each indicator and its change since the previous year with
-- a value.
-- Parameters:
--   $indicators  indicator_ids to return (VARCHAR[]); NULL = every indicator. Rows follow this order.
--   $region      region code; NULL = KZ (the whole country)
--   $tiers       source tiers to include (VARCHAR[]); NULL = all tiers
-- Only single-year facts count; an indicator without any is left out. For each year the preferred
-- fact is taken (the rule in views/fact_details.sql). change = value - previous_value, only where the
-- two are comparable: both exact (no "more than", "about" or range) and from the same tier of source;
-- NULL otherwise and without a previous year. n_values counts the facts of the latest year.
WITH yearly_preferred AS (
    SELECT
        indicator_id, indicator_name, indicator_name_ru, indicator_name_kk, category, unit,
        region, year, value, value_high, qualifier, note,
        source_id, publisher, title, published, url,
        tier, tier_rank, tier_label,
        count(*) OVER (PARTITION BY indicator_id, year) AS n_values,
        count(DISTINCT (value, value_high)) OVER (PARTITION BY indicator_id, year) AS n_distinct_values
    FROM fact_details
    WHERE region = coalesce(CAST($region AS VARCHAR), 'KZ')
      AND (CAST($indicators AS VARCHAR[]) IS NULL OR list_contains(CAST($indicators AS VARCHAR[]), indicator_id))
      AND year IS NOT NULL
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), tier))
    QUALIFY row_number() OVER (PARTITION BY indicator_id, year ORDER BY preference_rank) = 1
),
by_recency AS (
    SELECT *, row_number() OVER (PARTITION BY indicator_id ORDER BY year DESC) AS recency
    FROM yearly_preferred
)
SELECT
    latest.* EXCLUDE (recency),
    previous.year AS previous_year,
    previous.value AS previous_value,
    previous.value_high AS previous_value_high,
    previous.qualifier AS previous_qualifier,
    previous.source_id AS previous_source_id,
    previous.publisher AS previous_publisher,
    previous.tier AS previous_tier,
    previous.tier_label AS previous_tier_label,
    CASE WHEN latest.qualifier = 'exact' AND previous.qualifier = 'exact' AND latest.tier = previous.tier
         THEN latest.value - previous.value END AS change
FROM by_recency AS latest
LEFT JOIN by_recency AS previous
    ON previous.indicator_id = latest.indicator_id AND previous.recency = 2
WHERE latest.recency = 1
ORDER BY list_position(CAST($indicators AS VARCHAR[]), latest.indicator_id), latest.indicator_id
