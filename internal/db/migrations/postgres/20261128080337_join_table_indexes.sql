-- Create index "association_facilitated_partnerships_partnership_id" to table: "association_facilitated_partnerships"
CREATE INDEX "association_facilitated_partnerships_partnership_id" ON "association_facilitated_partnerships" ("partnership_id");
-- Create index "association_funded_projects_project_id" to table: "association_funded_projects"
CREATE INDEX "association_funded_projects_project_id" ON "association_funded_projects" ("project_id");
-- Create index "association_members_municipality_id" to table: "association_members"
CREATE INDEX "association_members_municipality_id" ON "association_members" ("municipality_id");
-- Create index "document_municipalities_municipality_id" to table: "document_municipalities"
CREATE INDEX "document_municipalities_municipality_id" ON "document_municipalities" ("municipality_id");
-- Create index "document_partnerships_partnership_id" to table: "document_partnerships"
CREATE INDEX "document_partnerships_partnership_id" ON "document_partnerships" ("partnership_id");
-- Create index "document_projects_project_id" to table: "document_projects"
CREATE INDEX "document_projects_project_id" ON "document_projects" ("project_id");
-- Create index "event_invited_municipalities_municipality_id" to table: "event_invited_municipalities"
CREATE INDEX "event_invited_municipalities_municipality_id" ON "event_invited_municipalities" ("municipality_id");
-- Create index "initiative_municipalities_municipality_id" to table: "initiative_municipalities"
CREATE INDEX "initiative_municipalities_municipality_id" ON "initiative_municipalities" ("municipality_id");
-- Create index "news_item_municipalities_municipality_id" to table: "news_item_municipalities"
CREATE INDEX "news_item_municipalities_municipality_id" ON "news_item_municipalities" ("municipality_id");
-- Create index "news_item_partnerships_partnership_id" to table: "news_item_partnerships"
CREATE INDEX "news_item_partnerships_partnership_id" ON "news_item_partnerships" ("partnership_id");
-- Create index "news_item_projects_project_id" to table: "news_item_projects"
CREATE INDEX "news_item_projects_project_id" ON "news_item_projects" ("project_id");
-- Create index "partnership_activities_activity_id" to table: "partnership_activities"
CREATE INDEX "partnership_activities_activity_id" ON "partnership_activities" ("activity_id");
-- Create index "post_mentions_user_id" to table: "post_mentions"
CREATE INDEX "post_mentions_user_id" ON "post_mentions" ("user_id");
-- Create index "user_followed_categories_forum_category_id" to table: "user_followed_categories"
CREATE INDEX "user_followed_categories_forum_category_id" ON "user_followed_categories" ("forum_category_id");
