-- Create index "partnership_european_country_id_phase_id" to table: "partnerships"
CREATE INDEX "partnership_european_country_id_phase_id" ON "partnerships" ("european_country_id", "phase_id");
-- Create index "partnership_ukrainian_region_id_phase_id" to table: "partnerships"
CREATE INDEX "partnership_ukrainian_region_id_phase_id" ON "partnerships" ("ukrainian_region_id", "phase_id");
