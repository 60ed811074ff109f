-- Drop index "post_topic_id" from table: "posts"
DROP INDEX `post_topic_id`;
-- Create index "post_topic_id_id" to table: "posts"
CREATE INDEX `post_topic_id_id` ON `posts` (`topic_id`, `id`);
