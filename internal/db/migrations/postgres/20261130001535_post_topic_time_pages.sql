-- Drop index "post_topic_id_created_at" from table: "posts"
DROP INDEX "post_topic_id_created_at";
-- Create index "post_topic_id_created_at_desc_id" to table: "posts"
CREATE INDEX "post_topic_id_created_at_desc_id" ON "posts" ("topic_id", "created_at" DESC, "id");
-- Create index "post_topic_id_created_at_id" to table: "posts"
CREATE INDEX "post_topic_id_created_at_id" ON "posts" ("topic_id", "created_at", "id");
-- Drop index "topic_last_activity_at" from table: "topics"
DROP INDEX "topic_last_activity_at";
-- Create index "topic_last_activity_at_id" to table: "topics"
CREATE INDEX "topic_last_activity_at_id" ON "topics" ("last_activity_at" DESC, "id");
