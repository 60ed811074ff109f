-- Modify "phases" table
ALTER TABLE "phases" ADD COLUMN "published_figures" jsonb NULL;
