-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_notifications" table
CREATE TABLE `new_notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `read_at` datetime NULL, `recipient_id` integer NOT NULL, `actor_id` integer NULL, `post_id` integer NULL, `topic_id` integer NULL, `news_item_id` integer NULL, `partnership_request_id` integer NULL, CONSTRAINT `notifications_users_recipient` FOREIGN KEY (`recipient_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `notifications_users_actor` FOREIGN KEY (`actor_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_posts_post` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_topics_topic` FOREIGN KEY (`topic_id`) REFERENCES `topics` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_news_items_news_item` FOREIGN KEY (`news_item_id`) REFERENCES `news_items` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_partnership_requests_partnership_request` FOREIGN KEY (`partnership_request_id`) REFERENCES `partnership_requests` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_notifications", 68719476736);
-- Copy rows from old table "notifications" to new temporary table "new_notifications"
INSERT INTO `new_notifications` (`id`, `created_at`, `updated_at`, `kind`, `read_at`, `recipient_id`, `actor_id`, `post_id`, `topic_id`, `news_item_id`) SELECT `id`, `created_at`, `updated_at`, `kind`, `read_at`, `recipient_id`, `actor_id`, `post_id`, `topic_id`, `news_item_id` FROM `notifications`;
-- Drop "notifications" table after copying rows
DROP TABLE `notifications`;
-- Rename temporary table "new_notifications" to "notifications"
ALTER TABLE `new_notifications` RENAME TO `notifications`;
-- Create index "notification_recipient_id_kind_post_id" to table: "notifications"
CREATE UNIQUE INDEX `notification_recipient_id_kind_post_id` ON `notifications` (`recipient_id`, `kind`, `post_id`);
-- Create index "notification_recipient_id_kind_news_item_id" to table: "notifications"
CREATE UNIQUE INDEX `notification_recipient_id_kind_news_item_id` ON `notifications` (`recipient_id`, `kind`, `news_item_id`);
-- Create index "notification_recipient_id_kind_partnership_request_id" to table: "notifications"
CREATE UNIQUE INDEX `notification_recipient_id_kind_partnership_request_id` ON `notifications` (`recipient_id`, `kind`, `partnership_request_id`);
-- Create index "notification_recipient_id_read_at" to table: "notifications"
CREATE INDEX `notification_recipient_id_read_at` ON `notifications` (`recipient_id`, `read_at`);
-- Create "match_declines" table
CREATE TABLE `match_declines` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `reason` text NULL, `municipality_id` integer NOT NULL, `candidate_id` integer NOT NULL, `declined_by_id` integer NULL, CONSTRAINT `match_declines_municipalities_municipality` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION, CONSTRAINT `match_declines_municipalities_candidate` FOREIGN KEY (`candidate_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION, CONSTRAINT `match_declines_users_declined_by` FOREIGN KEY (`declined_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "match_declines" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("match_declines", 85899345920);
-- Create index "matchdecline_municipality_id_candidate_id" to table: "match_declines"
CREATE UNIQUE INDEX `matchdecline_municipality_id_candidate_id` ON `match_declines` (`municipality_id`, `candidate_id`);
-- Create "match_profiles" table
CREATE TABLE `match_profiles` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `open` bool NOT NULL DEFAULT (true), `wanted_partners` integer NULL, `languages` json NULL, `language_mask` integer NOT NULL DEFAULT (0), `municipality_id` integer NOT NULL, CONSTRAINT `match_profiles_municipalities_match_profile` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION);
-- Set sequence for "match_profiles" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("match_profiles", 90194313216);
-- Create index "match_profiles_municipality_id_key" to table: "match_profiles"
CREATE UNIQUE INDEX `match_profiles_municipality_id_key` ON `match_profiles` (`municipality_id`);
-- Create "match_weights" table
CREATE TABLE `match_weights` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `factor` text NOT NULL, `weight` real NOT NULL);
-- Set sequence for "match_weights" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("match_weights", 94489280512);
-- Create index "matchweight_factor" to table: "match_weights"
CREATE UNIQUE INDEX `matchweight_factor` ON `match_weights` (`factor`);
-- Create "needs" table
CREATE TABLE `needs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `sector` text NOT NULL, `description` text NULL, `urgency` text NOT NULL DEFAULT ('MEDIUM'), `valid_from` datetime NULL, `valid_until` datetime NULL, `contact_name` text NULL, `contact_email` text NULL, `municipality_id` integer NOT NULL, CONSTRAINT `needs_municipalities_need_records` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION);
-- Set sequence for "needs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("needs", 98784247808);
-- Create index "need_municipality_id" to table: "needs"
CREATE INDEX `need_municipality_id` ON `needs` (`municipality_id`);
-- Create index "need_sector_municipality_id" to table: "needs"
CREATE INDEX `need_sector_municipality_id` ON `needs` (`sector`, `municipality_id`);
-- Create "offers" table
CREATE TABLE `offers` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `sector` text NOT NULL, `description` text NULL, `capacity` integer NOT NULL DEFAULT (1), `expertise` text NULL, `valid_from` datetime NULL, `valid_until` datetime NULL, `contact_name` text NULL, `contact_email` text NULL, `municipality_id` integer NOT NULL, CONSTRAINT `offers_municipalities_offer_records` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION);
-- Set sequence for "offers" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("offers", 103079215104);
-- Create index "offer_municipality_id" to table: "offers"
CREATE INDEX `offer_municipality_id` ON `offers` (`municipality_id`);
-- Create index "offer_sector_municipality_id" to table: "offers"
CREATE INDEX `offer_sector_municipality_id` ON `offers` (`sector`, `municipality_id`);
-- Create "partnership_requests" table
CREATE TABLE `partnership_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('PROPOSED'), `step_at` datetime NOT NULL, `message` text NULL, `themes` json NULL, `reason` text NULL, `mutual` bool NOT NULL DEFAULT (false), `open_pair` text NULL, `ukrainian_municipality_id` integer NOT NULL, `european_municipality_id` integer NOT NULL, `initiator_id` integer NOT NULL, `proposed_by_id` integer NULL, `facilitator_id` integer NULL, `partnership_id` integer NULL, CONSTRAINT `partnership_requests_municipalities_ukrainian_municipality` FOREIGN KEY (`ukrainian_municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION, CONSTRAINT `partnership_requests_municipalities_european_municipality` FOREIGN KEY (`european_municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION, CONSTRAINT `partnership_requests_municipalities_initiator` FOREIGN KEY (`initiator_id`) REFERENCES `municipalities` (`id`) ON DELETE NO ACTION, CONSTRAINT `partnership_requests_users_proposed_by` FOREIGN KEY (`proposed_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `partnership_requests_associations_facilitator` FOREIGN KEY (`facilitator_id`) REFERENCES `associations` (`id`) ON DELETE SET NULL, CONSTRAINT `partnership_requests_partnerships_partnership` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships` (`id`) ON DELETE SET NULL);
-- Set sequence for "partnership_requests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("partnership_requests", 107374182400);
-- Create index "partnership_requests_open_pair_key" to table: "partnership_requests"
CREATE UNIQUE INDEX `partnership_requests_open_pair_key` ON `partnership_requests` (`open_pair`);
-- Create index "partnershiprequest_ukrainian_mu_dfd378521ca9f3f6ceb7a99b24df1611" to table: "partnership_requests"
CREATE INDEX `partnershiprequest_ukrainian_mu_dfd378521ca9f3f6ceb7a99b24df1611` ON `partnership_requests` (`ukrainian_municipality_id`, `european_municipality_id`);
-- Create index "partnershiprequest_european_municipality_id" to table: "partnership_requests"
CREATE INDEX `partnershiprequest_european_municipality_id` ON `partnership_requests` (`european_municipality_id`);
-- Create index "partnershiprequest_status_step_at" to table: "partnership_requests"
CREATE INDEX `partnershiprequest_status_step_at` ON `partnership_requests` (`status`, `step_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
-- Backfill: each sector of a municipality's needs and offers lists becomes a record
INSERT INTO `needs` (`created_at`, `updated_at`, `sector`, `urgency`, `municipality_id`) SELECT DISTINCT datetime('now'), datetime('now'), j.value, 'MEDIUM', m.`id` FROM `municipalities` m, json_each(CASE WHEN json_valid(m.`needs`) AND json_type(m.`needs`) = 'array' THEN m.`needs` ELSE '[]' END) j;
INSERT INTO `offers` (`created_at`, `updated_at`, `sector`, `capacity`, `municipality_id`) SELECT DISTINCT datetime('now'), datetime('now'), j.value, 1, m.`id` FROM `municipalities` m, json_each(CASE WHEN json_valid(m.`offers`) AND json_type(m.`offers`) = 'array' THEN m.`offers` ELSE '[]' END) j;
