-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_users" table
CREATE TABLE `new_users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `display_name` text NOT NULL, `handle` text NULL, `preferred_language` text NOT NULL DEFAULT ('en'), `role` text NOT NULL DEFAULT ('NONE'), `disabled` bool NOT NULL DEFAULT (false), `password_hash` text NULL);
-- Set sequence for "new_users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_users", 51539607552);
-- Copy rows from old table "users" to new temporary table "new_users"
INSERT INTO `new_users` (`id`, `created_at`, `updated_at`, `email`, `display_name`, `preferred_language`, `role`, `disabled`, `password_hash`) SELECT `id`, `created_at`, `updated_at`, `email`, `display_name`, `preferred_language`, `role`, `disabled`, `password_hash` FROM `users`;
-- Drop "users" table after copying rows
DROP TABLE `users`;
-- Rename temporary table "new_users" to "users"
ALTER TABLE `new_users` RENAME TO `users`;
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
-- Create index "users_handle_key" to table: "users"
CREATE UNIQUE INDEX `users_handle_key` ON `users` (`handle`);
-- Create index "user_role" to table: "users"
CREATE INDEX `user_role` ON `users` (`role`);
-- Create "flags" table
CREATE TABLE `flags` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `reason` text NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `resolution` text NULL, `resolved_at` datetime NULL, `reporter_id` integer NOT NULL, `resolved_by_id` integer NULL, `post_id` integer NOT NULL, CONSTRAINT `flags_users_reporter` FOREIGN KEY (`reporter_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `flags_users_resolved_by` FOREIGN KEY (`resolved_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `flags_posts_flags` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "flags" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("flags", 55834574848);
-- Create index "flag_post_id_reporter_id" to table: "flags"
CREATE UNIQUE INDEX `flag_post_id_reporter_id` ON `flags` (`post_id`, `reporter_id`);
-- Create index "flag_status" to table: "flags"
CREATE INDEX `flag_status` ON `flags` (`status`);
-- Create index "flag_reporter_id" to table: "flags"
CREATE INDEX `flag_reporter_id` ON `flags` (`reporter_id`);
-- Create "forum_categories" table
CREATE TABLE `forum_categories` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `slug` text NOT NULL, `description` text NULL, `visibility` text NOT NULL DEFAULT ('PUBLIC'));
-- Set sequence for "forum_categories" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("forum_categories", 60129542144);
-- Create index "forum_categories_slug_key" to table: "forum_categories"
CREATE UNIQUE INDEX `forum_categories_slug_key` ON `forum_categories` (`slug`);
-- Create "news_items" table
CREATE TABLE `news_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `summary` text NULL, `body` text NOT NULL, `body_html` text NOT NULL DEFAULT (''), `language` text NOT NULL DEFAULT ('en'), `status` text NOT NULL DEFAULT ('DRAFT'), `published_at` datetime NULL, `author_id` integer NULL, CONSTRAINT `news_items_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "news_items" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("news_items", 64424509440);
-- Create index "newsitem_status_published_at" to table: "news_items"
CREATE INDEX `newsitem_status_published_at` ON `news_items` (`status`, `published_at`);
-- Create index "newsitem_author_id" to table: "news_items"
CREATE INDEX `newsitem_author_id` ON `news_items` (`author_id`);
-- Create "notifications" table
CREATE TABLE `notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `read_at` datetime NULL, `recipient_id` integer NOT NULL, `actor_id` integer NULL, `post_id` integer NULL, `topic_id` integer NULL, `news_item_id` integer NULL, CONSTRAINT `notifications_users_recipient` FOREIGN KEY (`recipient_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `notifications_users_actor` FOREIGN KEY (`actor_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_posts_post` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_topics_topic` FOREIGN KEY (`topic_id`) REFERENCES `topics` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_news_items_news_item` FOREIGN KEY (`news_item_id`) REFERENCES `news_items` (`id`) ON DELETE SET NULL);
-- Set sequence for "notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notifications", 68719476736);
-- Create index "notification_recipient_id_kind_post_id" to table: "notifications"
CREATE UNIQUE INDEX `notification_recipient_id_kind_post_id` ON `notifications` (`recipient_id`, `kind`, `post_id`);
-- Create index "notification_recipient_id_kind_news_item_id" to table: "notifications"
CREATE UNIQUE INDEX `notification_recipient_id_kind_news_item_id` ON `notifications` (`recipient_id`, `kind`, `news_item_id`);
-- Create index "notification_recipient_id_read_at" to table: "notifications"
CREATE INDEX `notification_recipient_id_read_at` ON `notifications` (`recipient_id`, `read_at`);
-- Create "posts" table
CREATE TABLE `posts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `body` text NOT NULL, `body_html` text NOT NULL DEFAULT (''), `edited_at` datetime NULL, `hidden_at` datetime NULL, `author_id` integer NULL, `reply_to_id` integer NULL, `hidden_by_id` integer NULL, `topic_id` integer NOT NULL, CONSTRAINT `posts_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `posts_posts_replies` FOREIGN KEY (`reply_to_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `posts_users_hidden_by` FOREIGN KEY (`hidden_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `posts_topics_posts` FOREIGN KEY (`topic_id`) REFERENCES `topics` (`id`) ON DELETE NO ACTION);
-- Set sequence for "posts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("posts", 73014444032);
-- Create index "post_topic_id" to table: "posts"
CREATE INDEX `post_topic_id` ON `posts` (`topic_id`);
-- Create index "post_author_id" to table: "posts"
CREATE INDEX `post_author_id` ON `posts` (`author_id`);
-- Create index "post_reply_to_id" to table: "posts"
CREATE INDEX `post_reply_to_id` ON `posts` (`reply_to_id`);
-- Create "reactions" table
CREATE TABLE `reactions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `post_id` integer NOT NULL, `user_id` integer NULL, CONSTRAINT `reactions_posts_reactions` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE NO ACTION, CONSTRAINT `reactions_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "reactions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("reactions", 77309411328);
-- Create index "reaction_post_id_user_id_kind" to table: "reactions"
CREATE UNIQUE INDEX `reaction_post_id_user_id_kind` ON `reactions` (`post_id`, `user_id`, `kind`);
-- Create index "reaction_user_id" to table: "reactions"
CREATE INDEX `reaction_user_id` ON `reactions` (`user_id`);
-- Create "topics" table
CREATE TABLE `topics` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `tags` json NULL, `pinned` bool NOT NULL DEFAULT (false), `locked` bool NOT NULL DEFAULT (false), `reply_count` integer NOT NULL DEFAULT (0), `last_activity_at` datetime NOT NULL, `category_id` integer NOT NULL, `author_id` integer NULL, CONSTRAINT `topics_forum_categories_topics` FOREIGN KEY (`category_id`) REFERENCES `forum_categories` (`id`) ON DELETE NO ACTION, CONSTRAINT `topics_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "topics" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("topics", 81604378624);
-- Create index "topic_category_id_last_activity_at" to table: "topics"
CREATE INDEX `topic_category_id_last_activity_at` ON `topics` (`category_id`, `last_activity_at`);
-- Create index "topic_author_id" to table: "topics"
CREATE INDEX `topic_author_id` ON `topics` (`author_id`);
-- Create "news_item_municipalities" table
CREATE TABLE `news_item_municipalities` (`news_item_id` integer NOT NULL, `municipality_id` integer NOT NULL, PRIMARY KEY (`news_item_id`, `municipality_id`), CONSTRAINT `news_item_municipalities_news_item_id` FOREIGN KEY (`news_item_id`) REFERENCES `news_items` (`id`) ON DELETE CASCADE, CONSTRAINT `news_item_municipalities_municipality_id` FOREIGN KEY (`municipality_id`) REFERENCES `municipalities` (`id`) ON DELETE CASCADE);
-- Create "news_item_partnerships" table
CREATE TABLE `news_item_partnerships` (`news_item_id` integer NOT NULL, `partnership_id` integer NOT NULL, PRIMARY KEY (`news_item_id`, `partnership_id`), CONSTRAINT `news_item_partnerships_news_item_id` FOREIGN KEY (`news_item_id`) REFERENCES `news_items` (`id`) ON DELETE CASCADE, CONSTRAINT `news_item_partnerships_partnership_id` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships` (`id`) ON DELETE CASCADE);
-- Create "news_item_projects" table
CREATE TABLE `news_item_projects` (`news_item_id` integer NOT NULL, `project_id` integer NOT NULL, PRIMARY KEY (`news_item_id`, `project_id`), CONSTRAINT `news_item_projects_news_item_id` FOREIGN KEY (`news_item_id`) REFERENCES `news_items` (`id`) ON DELETE CASCADE, CONSTRAINT `news_item_projects_project_id` FOREIGN KEY (`project_id`) REFERENCES `projects` (`id`) ON DELETE CASCADE);
-- Create "post_mentions" table
CREATE TABLE `post_mentions` (`post_id` integer NOT NULL, `user_id` integer NOT NULL, PRIMARY KEY (`post_id`, `user_id`), CONSTRAINT `post_mentions_post_id` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE CASCADE, CONSTRAINT `post_mentions_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
