-- Create index "post_topic_id_created_at" to table: "posts"
CREATE INDEX "post_topic_id_created_at" ON "posts" ("topic_id", "created_at");
-- Create index "topic_last_activity_at" to table: "topics"
CREATE INDEX "topic_last_activity_at" ON "topics" ("last_activity_at");
