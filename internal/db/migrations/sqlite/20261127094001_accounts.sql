-- Create "api_keys" table
CREATE TABLE `api_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `prefix` text NOT NULL, `secret_hash` blob NOT NULL, `scopes` json NOT NULL, `expires_at` datetime NULL, `revoked_at` datetime NULL, `last_used_at` datetime NULL, `user_id` integer NOT NULL, CONSTRAINT `api_keys_users_api_keys` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "api_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("api_keys", 34359738368);
-- Create index "api_keys_secret_hash_key" to table: "api_keys"
CREATE UNIQUE INDEX `api_keys_secret_hash_key` ON `api_keys` (`secret_hash`);
-- Create index "apikey_user_id" to table: "api_keys"
CREATE INDEX `apikey_user_id` ON `api_keys` (`user_id`);
-- Create "audit_logs" table
CREATE TABLE `audit_logs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `actor_id` integer NULL, `actor_label` text NOT NULL, `entity` text NOT NULL, `entity_id` integer NOT NULL, `operation` text NOT NULL, `changed_fields` json NULL);
-- Set sequence for "audit_logs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_logs", 38654705664);
-- Create index "auditlog_at" to table: "audit_logs"
CREATE INDEX `auditlog_at` ON `audit_logs` (`at`);
-- Create index "auditlog_entity_entity_id" to table: "audit_logs"
CREATE INDEX `auditlog_entity_entity_id` ON `audit_logs` (`entity`, `entity_id`);
-- Create index "auditlog_actor_id" to table: "audit_logs"
CREATE INDEX `auditlog_actor_id` ON `audit_logs` (`actor_id`);
-- Create "memberships" table
CREATE TABLE `memberships` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NOT NULL DEFAULT ('MEMBER'), `municipality_id` integer NULL, `association_id` integer NULL, `user_id` integer NOT NULL, CONSTRAINT `memberships_municipalities_municipality` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE SET NULL, CONSTRAINT `memberships_associations_association` FOREIGN KEY (`association_id`) REFERENCES `associations` (`id`) ON DELETE SET NULL, CONSTRAINT `memberships_users_memberships` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "memberships" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("memberships", 42949672960);
-- Create index "membership_user_id_municipality_id" to table: "memberships"
CREATE UNIQUE INDEX `membership_user_id_municipality_id` ON `memberships` (`user_id`, `municipality_id`);
-- Create index "membership_user_id_association_id" to table: "memberships"
CREATE UNIQUE INDEX `membership_user_id_association_id` ON `memberships` (`user_id`, `association_id`);
-- Create index "membership_municipality_id" to table: "memberships"
CREATE INDEX `membership_municipality_id` ON `memberships` (`municipality_id`);
-- Create index "membership_association_id" to table: "memberships"
CREATE INDEX `membership_association_id` ON `memberships` (`association_id`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `token_hash` blob NOT NULL, `expires_at` datetime NOT NULL, `last_used_at` datetime NULL, `client_address` text NULL, `user_id` integer NOT NULL, CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 47244640256);
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- Create index "session_user_id" to table: "sessions"
CREATE INDEX `session_user_id` ON `sessions` (`user_id`);
-- Create index "session_expires_at" to table: "sessions"
CREATE INDEX `session_expires_at` ON `sessions` (`expires_at`);
-- Create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `display_name` text NOT NULL, `preferred_language` text NOT NULL DEFAULT ('en'), `role` text NOT NULL DEFAULT ('NONE'), `disabled` bool NOT NULL DEFAULT (false), `password_hash` text NULL);
-- Set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 51539607552);
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
-- Create index "user_role" to table: "users"
CREATE INDEX `user_role` ON `users` (`role`);
