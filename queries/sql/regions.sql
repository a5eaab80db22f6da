-- Every place a fact can be about, with how many facts and statements concern it. No parameters.
-- Ordered country first, then oblasts, cities of republican significance and supranational areas,
-- each by English name.
SELECT
    r.*,
    (SELECT count(*) FROM facts AS f WHERE f.region = r.iso_code) AS n_facts,
    (SELECT count(*) FROM statements AS st WHERE st.region = r.iso_code) AS n_statements
FROM regions AS r
ORDER BY list_position(['country', 'oblast', 'city', 'supranational'], r.type), r.name_en
