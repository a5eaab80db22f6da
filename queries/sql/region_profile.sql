-- Every fact about one region: dated, multi-year ranges and undated, for the region's profile table.
-- Parameters:
--   $region  region code (e.g. KZ, KZ-75)
--   $tiers   source tiers to include (VARCHAR[]); NULL = all tiers
-- Each fact carries its indicator's name, category and unit and its source. year is set only for
-- single-year periods. is_preferred, n_values and n_distinct_values are computed after the tier
-- filter over the facts of the same indicator, period and forum edition (blank periods form one
-- group); the preferred one comes from the best-ranked tier, then the latest published source
-- (unknown dates last), then source_id. Ordered by category, indicator, period (blank last).
WITH region_facts AS (
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
    WHERE f.region = CAST($region AS VARCHAR)
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), s.tier))
)
SELECT
    *,
    row_number() OVER point_by_preference = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
FROM region_facts
WINDOW
    point AS (PARTITION BY indicator_id, period, event_id),
    point_by_preference AS (
        PARTITION BY indicator_id, period, event_id
        ORDER BY tier_rank, published DESC NULLS LAST, source_id, value
    )
ORDER BY category, indicator_id, period NULLS LAST, event_id NULLS FIRST,
    is_preferred DESC, tier_rank, published DESC NULLS LAST, source_id, value
