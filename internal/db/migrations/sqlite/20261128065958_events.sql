-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_notifications" table
CREATE TABLE `new_notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `read_at` datetime NULL, `recipient_id` integer NOT NULL, `actor_id` integer NULL, `post_id` integer NULL, `topic_id` integer NULL, `news_item_id` integer NULL, `partnership_request_id` integer NULL, `event_registration_id` integer NULL, CONSTRAINT `notifications_users_recipient` FOREIGN KEY (`recipient_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `notifications_users_actor` FOREIGN KEY (`actor_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_posts_post` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_topics_topic` FOREIGN KEY (`topic_id`) REFERENCES `topics` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_news_items_news_item` FOREIGN KEY (`news_item_id`) REFERENCES `news_items` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_partnership_requests_partnership_request` FOREIGN KEY (`partnership_request_id`) REFERENCES `partnership_requests` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_event_registrations_event_registration` FOREIGN KEY (`event_registration_id`) REFERENCES `event_registrations` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_notifications", 68719476736);
-- Copy rows from old table "notifications" to new temporary table "new_notifications"
INSERT INTO `new_notifications` (`id`, `created_at`, `updated_at`, `kind`, `read_at`, `recipient_id`, `actor_id`, `post_id`, `topic_id`, `news_item_id`, `partnership_request_id`) SELECT `id`, `created_at`, `updated_at`, `kind`, `read_at`, `recipient_id`, `actor_id`, `post_id`, `topic_id`, `news_item_id`, `partnership_request_id` FROM `notifications`;
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
-- Create index "notification_recipient_id_kind_event_registration_id" to table: "notifications"
CREATE UNIQUE INDEX `notification_recipient_id_kind_event_registration_id` ON `notifications` (`recipient_id`, `kind`, `event_registration_id`);
-- Create index "notification_recipient_id_read_at" to table: "notifications"
CREATE INDEX `notification_recipient_id_read_at` ON `notifications` (`recipient_id`, `read_at`);
-- Create "email_deliveries" table
CREATE TABLE `email_deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `user_id` integer NOT NULL, `batch` text NOT NULL, `frequency` text NOT NULL, `notification_id` integer NULL, `topic_id` integer NULL, `event_registration_id` integer NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `last_error` text NULL, `sent_at` datetime NULL);
-- Set sequence for "email_deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("email_deliveries", 141733920768);
-- Create index "emaildelivery_user_id_notification_id" to table: "email_deliveries"
CREATE UNIQUE INDEX `emaildelivery_user_id_notification_id` ON `email_deliveries` (`user_id`, `notification_id`);
-- Create index "emaildelivery_user_id_topic_id" to table: "email_deliveries"
CREATE UNIQUE INDEX `emaildelivery_user_id_topic_id` ON `email_deliveries` (`user_id`, `topic_id`);
-- Create index "emaildelivery_user_id_event_registration_id" to table: "email_deliveries"
CREATE UNIQUE INDEX `emaildelivery_user_id_event_registration_id` ON `email_deliveries` (`user_id`, `event_registration_id`);
-- Create index "emaildelivery_batch" to table: "email_deliveries"
CREATE INDEX `emaildelivery_batch` ON `email_deliveries` (`batch`);
-- Create index "emaildelivery_status_attempts" to table: "email_deliveries"
CREATE INDEX `emaildelivery_status_attempts` ON `email_deliveries` (`status`, `attempts`);
-- Create "email_preferences" table
CREATE TABLE `email_preferences` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `frequency` text NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `email_preferences_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "email_preferences" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("email_preferences", 137438953472);
-- Create index "emailpreference_user_id_kind" to table: "email_preferences"
CREATE UNIQUE INDEX `emailpreference_user_id_kind` ON `email_preferences` (`user_id`, `kind`);
-- Create "events" table
CREATE TABLE `events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `kind` text NOT NULL, `description` text NULL, `language` text NOT NULL DEFAULT ('en'), `capacity` integer NULL, `audience` text NOT NULL DEFAULT ('MEMBERS'), `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `time_zone` text NOT NULL, `seat_version` integer NOT NULL DEFAULT (0), `organiser_id` integer NULL, `partnership_id` integer NULL, `activity_id` integer NULL, `created_by_id` integer NULL, CONSTRAINT `events_associations_organiser` FOREIGN KEY (`organiser_id`) REFERENCES `associations` (`id`) ON DELETE SET NULL, CONSTRAINT `events_partnerships_partnership` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships` (`id`) ON DELETE SET NULL, CONSTRAINT `events_activities_activity` FOREIGN KEY (`activity_id`) REFERENCES `activities` (`id`) ON DELETE SET NULL, CONSTRAINT `events_users_created_by` FOREIGN KEY (`created_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("events", 124554051584);
-- Create index "event_starts_at" to table: "events"
CREATE INDEX `event_starts_at` ON `events` (`starts_at`);
-- Create index "event_kind_starts_at" to table: "events"
CREATE INDEX `event_kind_starts_at` ON `events` (`kind`, `starts_at`);
-- Create index "event_organiser_id" to table: "events"
CREATE INDEX `event_organiser_id` ON `events` (`organiser_id`);
-- Create index "event_partnership_id" to table: "events"
CREATE INDEX `event_partnership_id` ON `events` (`partnership_id`);
-- Create index "event_activity_id" to table: "events"
CREATE INDEX `event_activity_id` ON `events` (`activity_id`);
-- Create "event_registrations" table
CREATE TABLE `event_registrations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('REGISTERED'), `position` integer NULL, `attended_at` datetime NULL, `cancelled_at` datetime NULL, `reminded_at` datetime NULL, `event_id` integer NOT NULL, `user_id` integer NOT NULL, `registered_by_id` integer NULL, CONSTRAINT `event_registrations_events_registrations` FOREIGN KEY (`event_id`) REFERENCES `events` (`id`) ON DELETE NO ACTION, CONSTRAINT `event_registrations_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `event_registrations_users_registered_by` FOREIGN KEY (`registered_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "event_registrations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("event_registrations", 133143986176);
-- Create index "eventregistration_event_id_user_id" to table: "event_registrations"
CREATE UNIQUE INDEX `eventregistration_event_id_user_id` ON `event_registrations` (`event_id`, `user_id`);
-- Create index "eventregistration_event_id_status_position" to table: "event_registrations"
CREATE INDEX `eventregistration_event_id_status_position` ON `event_registrations` (`event_id`, `status`, `position`);
-- Create index "eventregistration_user_id_status" to table: "event_registrations"
CREATE INDEX `eventregistration_user_id_status` ON `event_registrations` (`user_id`, `status`);
-- Create "event_sessions" table
CREATE TABLE `event_sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `time_zone` text NOT NULL, `place` text NULL, `online_url` text NULL, `event_id` integer NOT NULL, CONSTRAINT `event_sessions_events_sessions` FOREIGN KEY (`event_id`) REFERENCES `events` (`id`) ON DELETE NO ACTION);
-- Set sequence for "event_sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("event_sessions", 128849018880);
-- Create index "eventsession_event_id_starts_at" to table: "event_sessions"
CREATE INDEX `eventsession_event_id_starts_at` ON `event_sessions` (`event_id`, `starts_at`);
-- Create "event_invited_municipalities" table
CREATE TABLE `event_invited_municipalities` (`event_id` integer NOT NULL, `municipality_id` integer NOT NULL, PRIMARY KEY (`event_id`, `municipality_id`), CONSTRAINT `event_invited_municipalities_event_id` FOREIGN KEY (`event_id`) REFERENCES `events` (`id`) ON DELETE CASCADE, CONSTRAINT `event_invited_municipalities_municipality_id` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE CASCADE);
-- Create "user_followed_categories" table
CREATE TABLE `user_followed_categories` (`user_id` integer NOT NULL, `forum_category_id` integer NOT NULL, PRIMARY KEY (`user_id`, `forum_category_id`), CONSTRAINT `user_followed_categories_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE, CONSTRAINT `user_followed_categories_forum_category_id` FOREIGN KEY (`forum_category_id`) REFERENCES `forum_categories` (`id`) ON DELETE CASCADE);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
