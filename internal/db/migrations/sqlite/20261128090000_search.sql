-- Full-text search documents (internal/search): one per searchable row,
-- the rowid being the row's global id; the text is folded in Go.
CREATE VIRTUAL TABLE `search_documents` USING fts5(kind UNINDEXED, title UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2');
