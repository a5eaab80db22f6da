-- Every cited source with its tier and how many facts and statements rest on it. No parameters.
-- Ordered by tier rank (most authoritative first), then latest published (unknown dates last),
-- then source_id.
SELECT
    s.source_id, s.publisher, s.title, s.published, s.date_note, s.url, s.language,
    s.tier, t.rank AS tier_rank, t.label AS tier_label,
    (SELECT count(*) FROM facts AS f WHERE f.source_id = s.source_id) AS n_facts,
    (SELECT count(*) FROM statements AS st WHERE st.source_id = s.source_id) AS n_statements
FROM sources AS s
JOIN tiers AS t ON t.tier = s.tier
ORDER BY tier_rank, s.published DESC NULLS LAST, s.source_id
