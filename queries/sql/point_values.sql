-- Every fact behind one chart point, to list them under the chart.
-- Parameters:
--   $indicator  indicator_id
--   $region     region code
--   $year       the single year of the point (INTEGER)
-- All sources and tiers are listed, preferred value first: best-ranked tier, then latest published
-- source (unknown dates last), then source_id. A point holds the facts of one period; facts tied to
-- different forum editions (event_id) are separate points.
WITH point_facts AS (
    SELECT
        f.indicator_id, i.name AS indicator_name, f.unit,
        f.region, r.name_en, r.name_ru, r.name_kk, r.type AS region_type,
        f.period, CAST(f.period AS INTEGER) AS year,
        f.value, f.value_high, f.qualifier, f.event_id, f.note, f.ref,
        f.source_id, s.publisher, s.title, s.published, s.url, s.language,
        s.tier, t.rank AS tier_rank, t.label AS tier_label
    FROM facts AS f
    JOIN indicators AS i USING (indicator_id)
    JOIN regions AS r ON r.iso_code = f.region
    JOIN sources AS s USING (source_id)
    JOIN tiers AS t ON t.tier = s.tier
    WHERE f.indicator_id = CAST($indicator AS VARCHAR)
      AND f.region = CAST($region AS VARCHAR)
      AND f.period = CAST(CAST($year AS INTEGER) AS VARCHAR)
)
SELECT
    *,
    row_number() OVER point_by_preference = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
FROM point_facts
WINDOW
    point AS (PARTITION BY event_id),
    point_by_preference AS (
        PARTITION BY event_id
        ORDER BY tier_rank, published DESC NULLS LAST, source_id, value
    )
ORDER BY is_preferred DESC, tier_rank, published DESC NULLS LAST, source_id, value
