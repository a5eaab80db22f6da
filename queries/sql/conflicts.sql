-- Points where sources disagree: every (indicator, region, period, forum edition) with more than
-- one distinct value (value and value_high), one row per fact. No parameters.
-- Rows of one point are adjacent, preferred value first (best-ranked tier, then latest published
-- source, unknown dates last, then source_id). Blank periods form one group per indicator and region.
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
),
with_point_stats AS (
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
)
SELECT *
FROM with_point_stats
WHERE n_distinct_values > 1
ORDER BY indicator_id, region, period NULLS LAST, event_id NULLS FIRST,
    is_preferred DESC, tier_rank, published DESC NULLS LAST, source_id, value
