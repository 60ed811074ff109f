-- Create "topic_partnerships" table
CREATE TABLE "topic_partnerships" ("topic_id" bigint NOT NULL, "partnership_id" bigint NOT NULL, PRIMARY KEY ("topic_id", "partnership_id"), CONSTRAINT "topic_partnerships_partnership_id" FOREIGN KEY ("partnership_id") REFERENCES "partnerships" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "topic_partnerships_topic_id" FOREIGN KEY ("topic_id") REFERENCES "topics" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "topic_partnerships_partnership_id" to table: "topic_partnerships"
CREATE INDEX "topic_partnerships_partnership_id" ON "topic_partnerships" ("partnership_id");
