-- Points where sources disagree: every (indicator, region, period, forum edition) with more than
-- one distinct value (value and value_high), one row per fact.
-- Parameters:
--   $limit  at most this many rows (the first in the order below); NULL = all
-- Rows of one point are adjacent, preferred value first (the rule in views/fact_details.sql).
-- Blank periods form one group per indicator and region.
WITH with_point_stats AS (
    SELECT
        *,
        row_number() OVER (point ORDER BY preference_rank) = 1 AS is_preferred,
        count(*) OVER point AS n_values,
        count(DISTINCT (value, value_high)) OVER point AS n_distinct_values
    FROM fact_details
    WINDOW point AS (PARTITION BY indicator_id, region, period, event_id)
)
SELECT * EXCLUDE (preference_rank)
FROM with_point_stats
WHERE n_distinct_values > 1
ORDER BY indicator_id, region, period NULLS LAST, event_id NULLS FIRST, is_preferred DESC, preference_rank
LIMIT CAST($limit AS BIGINT)
