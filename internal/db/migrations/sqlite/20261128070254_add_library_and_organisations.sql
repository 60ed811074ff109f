-- organisations.name sorts in the Unicode root collation (und-x-icu, see
-- 20261128050000_unicode_names.sql): its COLLATE is written by hand.
-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_memberships" table
CREATE TABLE `new_memberships` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NOT NULL DEFAULT ('MEMBER'), `municipality_id` integer NULL, `association_id` integer NULL, `organisation_id` integer NULL, `user_id` integer NOT NULL, CONSTRAINT `memberships_municipalities_municipality` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE SET NULL, CONSTRAINT `memberships_associations_association` FOREIGN KEY (`association_id`) REFERENCES `associations` (`id`) ON DELETE SET NULL, CONSTRAINT `memberships_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE SET NULL, CONSTRAINT `memberships_users_memberships` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "new_memberships" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_memberships", 42949672960);
-- Copy rows from old table "memberships" to new temporary table "new_memberships"
INSERT INTO `new_memberships` (`id`, `created_at`, `updated_at`, `role`, `municipality_id`, `association_id`, `user_id`) SELECT `id`, `created_at`, `updated_at`, `role`, `municipality_id`, `association_id`, `user_id` FROM `memberships`;
-- Drop "memberships" table after copying rows
DROP TABLE `memberships`;
-- Rename temporary table "new_memberships" to "memberships"
ALTER TABLE `new_memberships` RENAME TO `memberships`;
-- Create index "membership_user_id_municipality_id" to table: "memberships"
CREATE UNIQUE INDEX `membership_user_id_municipality_id` ON `memberships` (`user_id`, `municipality_id`);
-- Create index "membership_user_id_association_id" to table: "memberships"
CREATE UNIQUE INDEX `membership_user_id_association_id` ON `memberships` (`user_id`, `association_id`);
-- Create index "membership_user_id_organisation_id" to table: "memberships"
CREATE UNIQUE INDEX `membership_user_id_organisation_id` ON `memberships` (`user_id`, `organisation_id`);
-- Create index "membership_municipality_id" to table: "memberships"
CREATE INDEX `membership_municipality_id` ON `memberships` (`municipality_id`);
-- Create index "membership_association_id" to table: "memberships"
CREATE INDEX `membership_association_id` ON `memberships` (`association_id`);
-- Create index "membership_organisation_id" to table: "memberships"
CREATE INDEX `membership_organisation_id` ON `memberships` (`organisation_id`);
-- Create "documents" table
CREATE TABLE `documents` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `sector` text NOT NULL, `title` text NOT NULL, `title_translations` json NULL, `summary` text NULL, `summary_translations` json NULL, `language` text NOT NULL DEFAULT ('en'), `status` text NOT NULL DEFAULT ('DRAFT'), `visibility` text NOT NULL DEFAULT ('PUBLIC'), `review_note` text NULL, `published_at` datetime NULL, `author_id` integer NULL, CONSTRAINT `documents_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "documents" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("documents", 146028888064);
-- Create index "document_status_sector_kind" to table: "documents"
CREATE INDEX `document_status_sector_kind` ON `documents` (`status`, `sector`, `kind`);
-- Create index "document_author_id" to table: "documents"
CREATE INDEX `document_author_id` ON `documents` (`author_id`);
-- Create "document_files" table
CREATE TABLE `document_files` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `language` text NOT NULL DEFAULT ('en'), `name` text NOT NULL, `content_type` text NOT NULL, `size` integer NOT NULL, `checksum` text NOT NULL, `storage_key` text NOT NULL, `document_id` integer NOT NULL, CONSTRAINT `document_files_documents_files` FOREIGN KEY (`document_id`) REFERENCES `documents` (`id`) ON DELETE NO ACTION);
-- Set sequence for "document_files" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("document_files", 150323855360);
-- Create index "document_files_storage_key_key" to table: "document_files"
CREATE UNIQUE INDEX `document_files_storage_key_key` ON `document_files` (`storage_key`);
-- Create index "documentfile_document_id" to table: "document_files"
CREATE INDEX `documentfile_document_id` ON `document_files` (`document_id`);
-- Create "initiatives" table
CREATE TABLE `initiatives` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `description` text NULL, `sectors` json NULL, `starts_on` datetime NULL, `ends_on` datetime NULL, `funding_eur` real NULL, `organisation_id` integer NOT NULL, CONSTRAINT `initiatives_organisations_initiatives` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- Set sequence for "initiatives" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("initiatives", 158913789952);
-- Create index "initiative_organisation_id" to table: "initiatives"
CREATE INDEX `initiative_organisation_id` ON `initiatives` (`organisation_id`);
-- Create "organisations" table
CREATE TABLE `organisations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL COLLATE "und-x-icu", `name_translations` json NULL, `acronym` text NULL, `kind` text NOT NULL DEFAULT ('OTHER'), `website` text NULL, `description` text NULL, `country_id` integer NULL, CONSTRAINT `organisations_countries_country` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE SET NULL);
-- Set sequence for "organisations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("organisations", 154618822656);
-- Create index "organisation_kind" to table: "organisations"
CREATE INDEX `organisation_kind` ON `organisations` (`kind`);
-- Create index "organisation_country_id" to table: "organisations"
CREATE INDEX `organisation_country_id` ON `organisations` (`country_id`);
-- Create "document_municipalities" table
CREATE TABLE `document_municipalities` (`document_id` integer NOT NULL, `municipality_id` integer NOT NULL, PRIMARY KEY (`document_id`, `municipality_id`), CONSTRAINT `document_municipalities_document_id` FOREIGN KEY (`document_id`) REFERENCES `documents` (`id`) ON DELETE CASCADE, CONSTRAINT `document_municipalities_municipality_id` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE CASCADE);
-- Create "document_partnerships" table
CREATE TABLE `document_partnerships` (`document_id` integer NOT NULL, `partnership_id` integer NOT NULL, PRIMARY KEY (`document_id`, `partnership_id`), CONSTRAINT `document_partnerships_document_id` FOREIGN KEY (`document_id`) REFERENCES `documents` (`id`) ON DELETE CASCADE, CONSTRAINT `document_partnerships_partnership_id` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships` (`id`) ON DELETE CASCADE);
-- Create "document_projects" table
CREATE TABLE `document_projects` (`document_id` integer NOT NULL, `project_id` integer NOT NULL, PRIMARY KEY (`document_id`, `project_id`), CONSTRAINT `document_projects_document_id` FOREIGN KEY (`document_id`) REFERENCES `documents` (`id`) ON DELETE CASCADE, CONSTRAINT `document_projects_project_id` FOREIGN KEY (`project_id`) REFERENCES `projects` (`id`) ON DELETE CASCADE);
-- Create "initiative_municipalities" table
CREATE TABLE `initiative_municipalities` (`initiative_id` integer NOT NULL, `municipality_id` integer NOT NULL, PRIMARY KEY (`initiative_id`, `municipality_id`), CONSTRAINT `initiative_municipalities_initiative_id` FOREIGN KEY (`initiative_id`) REFERENCES `initiatives` (`id`) ON DELETE CASCADE, CONSTRAINT `initiative_municipalities_municipality_id` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE CASCADE);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
