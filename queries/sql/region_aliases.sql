-- Every region name variant with the region it maps to (for importing figures that name regions
-- by spelling variants, legacy, Russian or Kazakh names). No parameters.
SELECT a.alias, a.iso_code, r.name_en, r.name_ru, r.name_kk, r.type AS region_type, a.note
FROM region_aliases AS a
JOIN regions AS r USING (iso_code)
ORDER BY a.iso_code, a.alias
