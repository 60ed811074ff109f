-- Add column "published_figures" to table: "phases"
ALTER TABLE `phases` ADD COLUMN `published_figures` json NULL;
