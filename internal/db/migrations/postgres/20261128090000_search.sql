-- Full-text search documents (internal/search): one per searchable row,
-- keyed by the row's global id; the text is folded in Go.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE "search_documents" ("id" bigint NOT NULL, "kind" character varying NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "tsv" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "body")) STORED, PRIMARY KEY ("id"));
CREATE INDEX "search_documents_tsv" ON "search_documents" USING gin ("tsv");
CREATE INDEX "search_documents_trgm" ON "search_documents" USING gin ("body" gin_trgm_ops);
