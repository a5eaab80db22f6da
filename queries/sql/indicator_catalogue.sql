-- Every indicator with its definition and how much evidence exists for it. No parameters.
-- name/definition are English; name_ru, name_kk, definition_ru, definition_kk are the Russian and
-- Kazakh versions.
-- n_facts / n_statements: rows in facts.csv / statements.csv; first_year / last_year: range of the
-- single-year facts (NULL when there are none); n_regions / n_sources: distinct regions and sources
-- among its facts; last_published: the latest publication date (YYYY, YYYY-MM or YYYY-MM-DD, as sources.csv
-- gives it) of any source of its facts, the "last figure published" of the indicator (NULL when none of
-- those sources is dated). Ordered by category, then indicator_id.
WITH fact_stats AS (
    SELECT
        indicator_id,
        count(*) AS n_facts,
        min(year) AS first_year,
        max(year) AS last_year,
        count(DISTINCT region) AS n_regions,
        count(DISTINCT source_id) AS n_sources,
        -- ISO dates of any precision sort as text: '2025' < '2025-10' < '2025-10-16'
        max(published) AS last_published
    FROM fact_details
    GROUP BY indicator_id
),
statement_stats AS (
    SELECT indicator_id, count(*) AS n_statements
    FROM statements
    GROUP BY indicator_id
)
SELECT
    i.indicator_id, i.category, i.unit, i.name, i.definition,
    i.name_ru, i.name_kk, i.definition_ru, i.definition_kk,
    coalesce(fs.n_facts, 0) AS n_facts,
    coalesce(ss.n_statements, 0) AS n_statements,
    fs.first_year, fs.last_year,
    coalesce(fs.n_regions, 0) AS n_regions,
    coalesce(fs.n_sources, 0) AS n_sources,
    fs.last_published
FROM indicators AS i
LEFT JOIN fact_stats AS fs USING (indicator_id)
LEFT JOIN statement_stats AS ss USING (indicator_id)
ORDER BY i.category, i.indicator_id
