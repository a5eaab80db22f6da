-- Headline figures: the latest value of each indicator and its change since the previous year with
-- a value.
-- Parameters:
--   $indicators  indicator_ids to return (VARCHAR[]); NULL = every indicator. Rows follow this order.
--   $region      region code; NULL = KZ (the whole country)
--   $tiers       source tiers to include (VARCHAR[]); NULL = all tiers
-- Only single-year facts count; an indicator without any is left out. For each year the preferred
-- fact is taken: best-ranked tier, then latest published source (unknown dates last), then
-- source_id. change = value - previous_value (low ends for ranges); NULL without a previous year.
-- n_values counts the facts of the latest year.
WITH dated_facts AS (
    SELECT
        f.*,
        CASE WHEN regexp_full_match(f.period, '[0-9]{4}') THEN TRY_CAST(f.period AS INTEGER) END AS year
    FROM facts AS f
    WHERE f.region = coalesce(CAST($region AS VARCHAR), 'KZ')
      AND (CAST($indicators AS VARCHAR[]) IS NULL OR list_contains(CAST($indicators AS VARCHAR[]), f.indicator_id))
),
yearly_preferred AS (
    SELECT
        f.indicator_id, i.name AS indicator_name, i.category, f.unit,
        f.region, f.year, f.value, f.value_high, f.qualifier, f.note,
        f.source_id, s.publisher, s.title, s.published, s.url,
        s.tier, t.rank AS tier_rank, t.label AS tier_label,
        count(*) OVER (PARTITION BY f.indicator_id, f.year) AS n_values,
        count(DISTINCT (f.value, f.value_high)) OVER (PARTITION BY f.indicator_id, f.year) AS n_distinct_values
    FROM dated_facts AS f
    JOIN indicators AS i USING (indicator_id)
    JOIN sources AS s USING (source_id)
    JOIN tiers AS t ON t.tier = s.tier
    WHERE f.year IS NOT NULL
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), s.tier))
    QUALIFY row_number() OVER (
        PARTITION BY f.indicator_id, f.year
        ORDER BY t.rank, s.published DESC NULLS LAST, f.source_id, f.value
    ) = 1
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
    previous.tier_label AS previous_tier_label,
    latest.value - previous.value AS change
FROM by_recency AS latest
LEFT JOIN by_recency AS previous
    ON previous.indicator_id = latest.indicator_id AND previous.recency = 2
WHERE latest.recency = 1
ORDER BY list_position(CAST($indicators AS VARCHAR[]), latest.indicator_id), latest.indicator_id
