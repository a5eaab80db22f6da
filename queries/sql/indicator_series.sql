-- Every dated fact of one indicator: the data behind a time-series chart.
-- Parameters:
--   $indicator  indicator_id to chart
--   $regions    region codes to include (VARCHAR[]); NULL = all regions
--   $year_from  first year to include (INTEGER); NULL = no lower bound
--   $year_to    last year to include (INTEGER); NULL = no upper bound
--   $tiers      source tiers to include (VARCHAR[]); NULL = all tiers
-- Only single-year periods are returned: ranges ("2023-2025") and blank periods never go on a time
-- axis. is_preferred, n_values and n_distinct_values are computed after filtering, so the preferred
-- value is the best one among those the chart shows.
-- A point is (indicator, region, period, event); its preferred value comes from the best-ranked
-- tier, then the latest published source (unknown dates last), then source_id.
WITH dated_facts AS (
    SELECT
        f.*,
        CASE WHEN regexp_full_match(f.period, '[0-9]{4}') THEN TRY_CAST(f.period AS INTEGER) END AS year
    FROM facts AS f
    WHERE f.indicator_id = CAST($indicator AS VARCHAR)
),
selected AS (
    SELECT
        f.indicator_id, i.name AS indicator_name, f.unit,
        f.region, r.name_en, r.name_ru, r.name_kk, r.type AS region_type,
        f.period, f.year, f.value, f.value_high, f.qualifier, f.event_id, f.note, f.ref,
        f.source_id, s.publisher, s.title, s.published, s.url, s.language,
        s.tier, t.rank AS tier_rank, t.label AS tier_label
    FROM dated_facts AS f
    JOIN indicators AS i USING (indicator_id)
    JOIN regions AS r ON r.iso_code = f.region
    JOIN sources AS s USING (source_id)
    JOIN tiers AS t ON t.tier = s.tier
    WHERE f.year IS NOT NULL
      AND (CAST($regions AS VARCHAR[]) IS NULL OR list_contains(CAST($regions AS VARCHAR[]), f.region))
      AND (CAST($year_from AS INTEGER) IS NULL OR f.year >= CAST($year_from AS INTEGER))
      AND (CAST($year_to AS INTEGER) IS NULL OR f.year <= CAST($year_to AS INTEGER))
      AND (CAST($tiers AS VARCHAR[]) IS NULL OR list_contains(CAST($tiers AS VARCHAR[]), s.tier))
)
SELECT
    *,
    row_number() OVER point_by_preference = 1 AS is_preferred,
    count(*) OVER point AS n_values,
    count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
FROM selected
WINDOW
    point AS (PARTITION BY indicator_id, region, period, event_id),
    point_by_preference AS (
        PARTITION BY indicator_id, region, period, event_id
        ORDER BY tier_rank, published DESC NULLS LAST, source_id, value
    )
ORDER BY region, year, is_preferred DESC, tier_rank, published DESC NULLS LAST, source_id, value
