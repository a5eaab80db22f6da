-- Non-numeric findings (ratings, "almost doubled") with their indicator, region and source.
-- Parameters:
--   $indicator  indicator_id to restrict to; NULL = all indicators
--   $regions    region codes to include (VARCHAR[]); NULL = all regions
-- Ordered by indicator, region, period (blank last), then tier rank of the source.
SELECT
    st.indicator_id, i.name AS indicator_name, i.category,
    st.region, r.name_en, r.name_ru, r.name_kk, r.type AS region_type,
    st.period, st.statement, st.note, st.ref,
    st.source_id, s.publisher, s.title, s.published, s.url, s.language,
    s.tier, t.rank AS tier_rank, t.label AS tier_label
FROM statements AS st
JOIN indicators AS i USING (indicator_id)
JOIN regions AS r ON r.iso_code = st.region
JOIN sources AS s USING (source_id)
JOIN tiers AS t ON t.tier = s.tier
WHERE (CAST($indicator AS VARCHAR) IS NULL OR st.indicator_id = CAST($indicator AS VARCHAR))
  AND (CAST($regions AS VARCHAR[]) IS NULL OR list_contains(CAST($regions AS VARCHAR[]), st.region))
ORDER BY st.indicator_id, st.region, st.period NULLS LAST, tier_rank, st.source_id
