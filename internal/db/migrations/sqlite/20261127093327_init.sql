-- Create "activities" table
CREATE TABLE `activities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `kind` text NOT NULL, `start_date` datetime NULL, `end_date` datetime NULL, `date_note` text NULL, `place` text NULL, `online` bool NOT NULL DEFAULT (false), `participant_count` integer NULL, `notes` text NULL, `source` text NULL, `organiser_id` integer NULL, CONSTRAINT `activities_associations_organised_activities` FOREIGN KEY (`organiser_id`) REFERENCES `associations` (`id`) ON DELETE SET NULL);
-- Create index "activity_kind_start_date" to table: "activities"
CREATE INDEX `activity_kind_start_date` ON `activities` (`kind`, `start_date`);
-- Create index "activity_start_date" to table: "activities"
CREATE INDEX `activity_start_date` ON `activities` (`start_date`);
-- Create index "activity_organiser_id" to table: "activities"
CREATE INDEX `activity_organiser_id` ON `activities` (`organiser_id`);
-- Create "associations" table
CREATE TABLE `associations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `name_translations` json NULL, `acronym` text NOT NULL, `kind` text NOT NULL DEFAULT ('LRGA'), `website` text NULL, `country_id` integer NULL, CONSTRAINT `associations_countries_associations` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE SET NULL);
-- Set sequence for "associations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("associations", 4294967296);
-- Create index "associations_acronym_key" to table: "associations"
CREATE UNIQUE INDEX `associations_acronym_key` ON `associations` (`acronym`);
-- Create index "association_country_id" to table: "associations"
CREATE INDEX `association_country_id` ON `associations` (`country_id`);
-- Create index "association_kind" to table: "associations"
CREATE INDEX `association_kind` ON `associations` (`kind`);
-- Create "countries" table
CREATE TABLE `countries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `name_translations` json NULL, `code` text NOT NULL, `eu_member` bool NOT NULL DEFAULT (false));
-- Set sequence for "countries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("countries", 8589934592);
-- Create index "countries_code_key" to table: "countries"
CREATE UNIQUE INDEX `countries_code_key` ON `countries` (`code`);
-- Create "municipalities" table
CREATE TABLE `municipalities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `name_translations` json NULL, `local_name` text NULL, `kind` text NOT NULL DEFAULT ('MUNICIPALITY'), `population` integer NULL, `latitude` real NULL, `longitude` real NULL, `website` text NULL, `profile` json NULL, `needs` json NULL, `offers` json NULL, `country_id` integer NOT NULL, `region_id` integer NULL, CONSTRAINT `municipalities_countries_municipalities` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION, CONSTRAINT `municipalities_regions_municipalities` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "municipalities" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("municipalities", 12884901888);
-- Create index "municipality_country_id_name" to table: "municipalities"
CREATE INDEX `municipality_country_id_name` ON `municipalities` (`country_id`, `name`);
-- Create index "municipality_region_id" to table: "municipalities"
CREATE INDEX `municipality_region_id` ON `municipalities` (`region_id`);
-- Create index "municipality_name" to table: "municipalities"
CREATE INDEX `municipality_name` ON `municipalities` (`name`);
-- Create "partnerships" table
CREATE TABLE `partnerships` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `start_date` datetime NULL, `end_date` datetime NULL, `themes` json NULL, `source` text NULL, `ukrainian_municipality_id` integer NOT NULL, `european_municipality_id` integer NOT NULL, `phase_id` integer NOT NULL, CONSTRAINT `partnerships_municipalities_ua_partnerships` FOREIGN KEY (`ukrainian_municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION, CONSTRAINT `partnerships_municipalities_eu_partnerships` FOREIGN KEY (`european_municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION, CONSTRAINT `partnerships_phases_partnerships` FOREIGN KEY (`phase_id`) REFERENCES `phases` (`id`) ON DELETE NO ACTION);
-- Set sequence for "partnerships" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("partnerships", 17179869184);
-- Create index "partnership_ukrainian_municipality_id_european_municipality_id" to table: "partnerships"
CREATE UNIQUE INDEX `partnership_ukrainian_municipality_id_european_municipality_id` ON `partnerships` (`ukrainian_municipality_id`, `european_municipality_id`);
-- Create index "partnership_european_municipality_id" to table: "partnerships"
CREATE INDEX `partnership_european_municipality_id` ON `partnerships` (`european_municipality_id`);
-- Create index "partnership_phase_id_status" to table: "partnerships"
CREATE INDEX `partnership_phase_id_status` ON `partnerships` (`phase_id`, `status`);
-- Create index "partnership_status" to table: "partnerships"
CREATE INDEX `partnership_status` ON `partnerships` (`status`);
-- Create index "partnership_start_date" to table: "partnerships"
CREATE INDEX `partnership_start_date` ON `partnerships` (`start_date`);
-- Create "phases" table
CREATE TABLE `phases` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `title` text NULL, `description` json NULL, `start_date` datetime NULL, `end_date` datetime NULL);
-- Set sequence for "phases" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("phases", 21474836480);
-- Create index "phases_name_key" to table: "phases"
CREATE UNIQUE INDEX `phases_name_key` ON `phases` (`name`);
-- Create "projects" table
CREATE TABLE `projects` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `title_translations` json NULL, `summary` json NULL, `sector` text NOT NULL, `status` text NOT NULL DEFAULT ('CONCEPT'), `budget_eur` real NULL, `lead_municipality_id` integer NULL, `partnership_id` integer NOT NULL, CONSTRAINT `projects_municipalities_led_projects` FOREIGN KEY (`lead_municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE SET NULL, CONSTRAINT `projects_partnerships_projects` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships` (`id`) ON DELETE NO ACTION);
-- Set sequence for "projects" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("projects", 25769803776);
-- Create index "project_partnership_id" to table: "projects"
CREATE INDEX `project_partnership_id` ON `projects` (`partnership_id`);
-- Create index "project_sector_status" to table: "projects"
CREATE INDEX `project_sector_status` ON `projects` (`sector`, `status`);
-- Create index "project_status" to table: "projects"
CREATE INDEX `project_status` ON `projects` (`status`);
-- Create "regions" table
CREATE TABLE `regions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `name_translations` json NULL, `kind` text NOT NULL DEFAULT ('REGION'), `country_id` integer NOT NULL, CONSTRAINT `regions_countries_regions` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION);
-- Set sequence for "regions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("regions", 30064771072);
-- Create index "region_country_id_name" to table: "regions"
CREATE UNIQUE INDEX `region_country_id_name` ON `regions` (`country_id`, `name`);
-- Create "association_members" table
CREATE TABLE `association_members` (`association_id` integer NOT NULL, `municipality_id` integer NOT NULL, PRIMARY KEY (`association_id`, `municipality_id`), CONSTRAINT `association_members_association_id` FOREIGN KEY (`association_id`) REFERENCES `associations` (`id`) ON DELETE CASCADE, CONSTRAINT `association_members_municipality_id` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE CASCADE);
-- Create "association_facilitated_partnerships" table
CREATE TABLE `association_facilitated_partnerships` (`association_id` integer NOT NULL, `partnership_id` integer NOT NULL, PRIMARY KEY (`association_id`, `partnership_id`), CONSTRAINT `association_facilitated_partnerships_association_id` FOREIGN KEY (`association_id`) REFERENCES `associations` (`id`) ON DELETE CASCADE, CONSTRAINT `association_facilitated_partnerships_partnership_id` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships` (`id`) ON DELETE CASCADE);
-- Create "association_funded_projects" table
CREATE TABLE `association_funded_projects` (`association_id` integer NOT NULL, `project_id` integer NOT NULL, PRIMARY KEY (`association_id`, `project_id`), CONSTRAINT `association_funded_projects_association_id` FOREIGN KEY (`association_id`) REFERENCES `associations` (`id`) ON DELETE CASCADE, CONSTRAINT `association_funded_projects_project_id` FOREIGN KEY (`project_id`) REFERENCES `projects` (`id`) ON DELETE CASCADE);
-- Create "partnership_activities" table
CREATE TABLE `partnership_activities` (`partnership_id` integer NOT NULL, `activity_id` integer NOT NULL, PRIMARY KEY (`partnership_id`, `activity_id`), CONSTRAINT `partnership_activities_partnership_id` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships` (`id`) ON DELETE CASCADE, CONSTRAINT `partnership_activities_activity_id` FOREIGN KEY (`activity_id`) REFERENCES `activities` (`id`) ON DELETE CASCADE);
