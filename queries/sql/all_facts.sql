-- Every fact with its indicator, region names and source: the "download all data" table.
-- Parameters (each NULL = no restriction):
--   $indicator         one indicator_id
--   $indicator_prefix  indicator_ids starting with this text (e.g. a breakdown 'ngo_field_share__')
--   $category          indicator category (ngos, public_councils, funding, forums, context)
--   $regions           region codes (VARCHAR[])
--   $tiers             source tiers (VARCHAR[])
--   $source_id         one source_id
--   $single_year       TRUE = only single-year periods; FALSE = only ranges and blank periods
-- year is set only for single-year periods. is_preferred, n_values and n_distinct_values refer to
-- the facts of the same indicator, region, period and forum edition (blank periods form one group);
-- the preferred one comes from the best-ranked tier, then the latest published source (unknown
-- dates last), then source_id.
WITH all_facts AS (
    SELECT
        f.indicator_id, i.name AS indicator_name, i.category, f.unit,
        f.region, r.name_en, r.name_ru, r.name_kk, r.type AS region_type,
        f.period,
        CASE WHEN regexp_full_match(f.period, '[0-9]{4}') THEN TRY_CAST(f.period AS INTEGER) END AS year,
        f.value, f.value_high, f.qualifier, f.event_id, f.note, f.ref,
        f.source_id, s.publisher, s.title, s.published, s.url, s.language,
        s.tier, t.rank AS tier_rank, t.label AS tier_label
    FROM facts AS f
    JOIN indicators AS i USING (indicator_id)
    JOIN regions AS r ON r.iso_code = f.region
    JOIN sources AS s USING (source_id)
    JOIN tiers AS t ON t.tier = s.tier
    WHERE (CAST($indicator AS VARCHAR) IS NULL OR f.indicator_id = CAST($indicator AS VARCHAR))
      AND (CAST($indicator_prefix AS VARCHAR) IS NULL OR starts_with(f.indicator_id, CAST($indicator_prefix AS VARCHAR)))
      AND (CAST($category AS VARCHAR) IS NULL OR i.category = CAST($category AS VARCHAR))
      AND (CAST($regions AS VARCHAR[]) IS NULL OR list_contains(CAST($regions AS VARCHAR[]), f.region))
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), s.tier))
      AND (CAST($source_id AS VARCHAR) IS NULL OR f.source_id = CAST($source_id AS VARCHAR))
      AND (CAST($single_year AS BOOLEAN) IS NULL
           OR coalesce(regexp_full_match(f.period, '[0-9]{4}'), false) = CAST($single_year AS BOOLEAN))
)
SELECT
    *,
    row_number() OVER point_by_preference = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
FROM all_facts
WINDOW
    point AS (PARTITION BY indicator_id, region, period, event_id),
    point_by_preference AS (
        PARTITION BY indicator_id, region, period, event_id
        ORDER BY tier_rank, published DESC NULLS LAST, source_id, value
    )
ORDER BY indicator_id, region, period NULLS LAST, event_id NULLS FIRST,
    is_preferred DESC, tier_rank, published DESC NULLS LAST, source_id, value
