-- Names sort in the Unicode root collation (und-x-icu, registered by
-- internal/collation), diacritics beside their base letter. Atlas does not
-- write collations for SQLite: these rebuilds are written by hand.
PRAGMA foreign_keys = off;
-- Rebuild "associations" with the collation on "name"
CREATE TABLE `new_associations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL COLLATE "und-x-icu", `name_translations` json NULL, `acronym` text NOT NULL, `kind` text NOT NULL DEFAULT ('LRGA'), `website` text NULL, `country_id` integer NULL, CONSTRAINT `associations_countries_associations` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE SET NULL);
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_associations', seq FROM sqlite_sequence WHERE name = 'associations';
INSERT INTO `new_associations` (`id`, `created_at`, `updated_at`, `name`, `name_translations`, `acronym`, `kind`, `website`, `country_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `name_translations`, `acronym`, `kind`, `website`, `country_id` FROM `associations`;
DROP TABLE `associations`;
ALTER TABLE `new_associations` RENAME TO `associations`;
CREATE UNIQUE INDEX `associations_acronym_key` ON `associations` (`acronym`);
CREATE INDEX `association_country_id` ON `associations` (`country_id`);
CREATE INDEX `association_kind` ON `associations` (`kind`);
-- Rebuild "countries" with the collation on "name"
CREATE TABLE `new_countries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL COLLATE "und-x-icu", `name_translations` json NULL, `code` text NOT NULL, `eu_member` bool NOT NULL DEFAULT (false));
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_countries', seq FROM sqlite_sequence WHERE name = 'countries';
INSERT INTO `new_countries` (`id`, `created_at`, `updated_at`, `name`, `name_translations`, `code`, `eu_member`) SELECT `id`, `created_at`, `updated_at`, `name`, `name_translations`, `code`, `eu_member` FROM `countries`;
DROP TABLE `countries`;
ALTER TABLE `new_countries` RENAME TO `countries`;
CREATE UNIQUE INDEX `countries_code_key` ON `countries` (`code`);
-- Rebuild "municipalities" with the collation on "name"
CREATE TABLE `new_municipalities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL COLLATE "und-x-icu", `name_translations` json NULL, `local_name` text NULL, `kind` text NOT NULL DEFAULT ('MUNICIPALITY'), `population` integer NULL, `latitude` real NULL, `longitude` real NULL, `website` text NULL, `profile` json NULL, `needs` json NULL, `offers` json NULL, `country_id` integer NOT NULL, `region_id` integer NULL, CONSTRAINT `municipalities_countries_municipalities` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION, CONSTRAINT `municipalities_regions_municipalities` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_municipalities', seq FROM sqlite_sequence WHERE name = 'municipalities';
INSERT INTO `new_municipalities` (`id`, `created_at`, `updated_at`, `name`, `name_translations`, `local_name`, `kind`, `population`, `latitude`, `longitude`, `website`, `profile`, `needs`, `offers`, `country_id`, `region_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `name_translations`, `local_name`, `kind`, `population`, `latitude`, `longitude`, `website`, `profile`, `needs`, `offers`, `country_id`, `region_id` FROM `municipalities`;
DROP TABLE `municipalities`;
ALTER TABLE `new_municipalities` RENAME TO `municipalities`;
CREATE INDEX `municipality_country_id_name` ON `municipalities` (`country_id`, `name`);
CREATE INDEX `municipality_region_id` ON `municipalities` (`region_id`);
CREATE INDEX `municipality_name` ON `municipalities` (`name`);
-- Rebuild "regions" with the collation on "name"
CREATE TABLE `new_regions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL COLLATE "und-x-icu", `name_translations` json NULL, `kind` text NOT NULL DEFAULT ('REGION'), `country_id` integer NOT NULL, CONSTRAINT `regions_countries_regions` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION);
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_regions', seq FROM sqlite_sequence WHERE name = 'regions';
INSERT INTO `new_regions` (`id`, `created_at`, `updated_at`, `name`, `name_translations`, `kind`, `country_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `name_translations`, `kind`, `country_id` FROM `regions`;
DROP TABLE `regions`;
ALTER TABLE `new_regions` RENAME TO `regions`;
CREATE UNIQUE INDEX `region_country_id_name` ON `regions` (`country_id`, `name`);
PRAGMA foreign_keys = on;
