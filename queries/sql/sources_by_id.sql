-- The sources with the given ids, e.g. to cite the sources behind a chart.
-- Parameters:
--   $source_ids  source ids to return (VARCHAR[])
-- Each source comes with its tier's label and rank and the number of facts it supports. Ordered
-- by tier rank (most authoritative first), then latest published, then source_id.
SELECT
    s.source_id, s.publisher, s.title, s.published, s.date_note, s.url, s.language,
    s.tier, t.rank AS tier_rank, t.label AS tier_label,
    (SELECT count(*) FROM facts AS f WHERE f.source_id = s.source_id) AS n_facts
FROM sources AS s
JOIN tiers AS t ON t.tier = s.tier
WHERE list_contains(CAST($source_ids AS VARCHAR[]), s.source_id)
ORDER BY tier_rank, s.published DESC NULLS LAST, s.source_id
