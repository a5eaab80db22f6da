-- The reliability tiers, most authoritative first. No parameters.
SELECT tier, rank AS tier_rank, label AS tier_label, description
FROM tiers
ORDER BY rank
