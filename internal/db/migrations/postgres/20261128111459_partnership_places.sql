-- Modify "partnerships" table
ALTER TABLE "partnerships" ADD COLUMN "ukrainian_country_id" bigint NULL, ADD COLUMN "ukrainian_region_id" bigint NULL, ADD COLUMN "european_country_id" bigint NULL;
-- Copy the places of each partnership's municipalities (kept by hooks from now on).
UPDATE "partnerships" SET
  "ukrainian_country_id" = (SELECT m."country_id" FROM "municipalities" m WHERE m."id" = "partnerships"."ukrainian_municipality_id"),
  "ukrainian_region_id" = (SELECT m."region_id" FROM "municipalities" m WHERE m."id" = "partnerships"."ukrainian_municipality_id"),
  "european_country_id" = (SELECT m."country_id" FROM "municipalities" m WHERE m."id" = "partnerships"."european_municipality_id");
-- Name each theme of a partnership once, in the order first named.
UPDATE "partnerships" SET "themes" = (
  SELECT jsonb_agg(t.value ORDER BY t.first) FROM (
    SELECT e.value, MIN(e.ordinality) AS first FROM jsonb_array_elements("partnerships"."themes") WITH ORDINALITY e GROUP BY e.value) t)
WHERE jsonb_typeof("themes") = 'array'
  AND jsonb_array_length("themes") > (SELECT COUNT(DISTINCT e.value) FROM jsonb_array_elements("partnerships"."themes") e);
