-- Every fact with its indicator, region names and source: the rows the fact queries start from.
-- Built once with the database file (queries/db.py), so the join, the year and the preference rule
-- are written here once instead of in every query. It is stored as a table, sorted by indicator and
-- region: computing the join and the rank on every read made each question scan and sort all facts
-- (seconds at a million rows; bench/REPORT.md's scale rows measure it); stored, a question reads only its own rows.
--
-- year: the period as an INTEGER when it is a single year ("2023"); NULL for a range ("2023-2025")
-- and for a blank period. Charts and "latest" figures only use facts whose year is set.
--
-- preference_rank: which fact wins when several give a value for the same point. The rule:
--   1. the best-ranked tier (tiers.rank, 1 = most authoritative),
--   2. then the latest published source, sources without a known date last,
--   3. then source_id, then value (only so the choice never depends on row order).
-- The rank is taken over all facts, so it orders the facts of any group or filtered subset exactly
-- as the rule does; a query picks its preferred fact with
-- `row_number() OVER (PARTITION BY <its point> ORDER BY preference_rank) = 1`.
-- rank() (not row_number) gives facts that tie on the whole rule the same rank, as the rule would.
-- Queries do not return this column: it is a sort key, not a figure.
--
-- indicator_name_ru / indicator_name_kk: the indicator's Russian and Kazakh names (indicators.csv
-- name_ru, name_kk) next to the English indicator_name, for the trilingual dashboard.
CREATE TABLE fact_details AS
SELECT
    f.indicator_id, i.name AS indicator_name, i.name_ru AS indicator_name_ru, i.name_kk AS indicator_name_kk,
    i.category, f.unit,
    f.region, r.name_en, r.name_ru, r.name_kk, r.type AS region_type,
    f.period,
    CASE WHEN regexp_full_match(f.period, '[0-9]{4}') THEN TRY_CAST(f.period AS INTEGER) END AS year,
    f.value, f.value_high, f.qualifier, f.event_id, f.note, f.ref,
    f.source_id, s.publisher, s.title, s.published, s.url, s.language,
    s.tier, t.rank AS tier_rank, t.label AS tier_label,
    rank() OVER (ORDER BY t.rank, s.published DESC NULLS LAST, f.source_id, f.value) AS preference_rank
-- Inner joins lose no fact: the validator rejects data whose facts cite an unknown indicator,
-- region or source, or whose sources cite an unknown tier, before any database is built.
FROM facts AS f
JOIN indicators AS i USING (indicator_id)
JOIN regions AS r ON r.iso_code = f.region
JOIN sources AS s USING (source_id)
JOIN tiers AS t ON t.tier = s.tier
ORDER BY f.indicator_id, f.region, year
