-- Add column "ukrainian_country_id" to table: "partnerships"
ALTER TABLE `partnerships` ADD COLUMN `ukrainian_country_id` integer NULL;
-- Add column "ukrainian_region_id" to table: "partnerships"
ALTER TABLE `partnerships` ADD COLUMN `ukrainian_region_id` integer NULL;
-- Add column "european_country_id" to table: "partnerships"
ALTER TABLE `partnerships` ADD COLUMN `european_country_id` integer NULL;
-- Copy the places of each partnership's municipalities (kept by hooks from now on).
UPDATE `partnerships` SET
  `ukrainian_country_id` = (SELECT m.`country_id` FROM `municipalities` m WHERE m.`id` = `partnerships`.`ukrainian_municipality_id`),
  `ukrainian_region_id` = (SELECT m.`region_id` FROM `municipalities` m WHERE m.`id` = `partnerships`.`ukrainian_municipality_id`),
  `european_country_id` = (SELECT m.`country_id` FROM `municipalities` m WHERE m.`id` = `partnerships`.`european_municipality_id`);
-- Name each theme of a partnership once, in the order first named.
UPDATE `partnerships` SET `themes` = (
  SELECT json_group_array(t.value) FROM (
    SELECT e.value, MIN(e.key) AS first FROM json_each(`partnerships`.`themes`) e GROUP BY e.value ORDER BY first) t)
WHERE json_type(`themes`) = 'array'
  AND json_array_length(`themes`) > (SELECT COUNT(DISTINCT e.value) FROM json_each(`partnerships`.`themes`) e);
