package search

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"
)

// Hit is one match in the index: the row's global id and kind, the matched
// text with the matching words between <b> and </b>, and its rank (higher
// is better).
type Hit struct {
	ID        int
	Kind      Kind
	Highlight string
	Rank      float64
}

// execer runs a statement; ent's clients (transactional ones too) have it.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// index writes and queries search_documents in one SQL dialect.
type index struct{ dialect string }

// ph returns the n-th (from 1) placeholder of the dialect.
func (ix index) ph(n int) string {
	if ix.dialect == dialect.Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// put replaces the document of d.ID.
func (ix index) put(ctx context.Context, c execer, d Document) error {
	if err := ix.remove(ctx, c, d.ID); err != nil {
		return err
	}
	q := "INSERT INTO search_documents (rowid, kind, title, body) VALUES (?, ?, ?, ?)"
	if ix.dialect == dialect.Postgres {
		q = "INSERT INTO search_documents (id, kind, title, body) VALUES ($1, $2, $3, $4)"
	}
	_, err := c.ExecContext(ctx, q, d.ID, d.Kind, d.Title, d.Text)
	return err
}

// remove deletes the document of id, if any.
func (ix index) remove(ctx context.Context, c execer, id int) error {
	col := "rowid"
	if ix.dialect == dialect.Postgres {
		col = "id"
	}
	_, err := c.ExecContext(ctx, "DELETE FROM search_documents WHERE "+col+" = "+ix.ph(1), id)
	return err
}

// count returns the number of documents.
func (ix index) count(ctx context.Context, c execer) (int, error) {
	rows, err := c.QueryContext(ctx, "SELECT COUNT(*) FROM search_documents")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

// Bounds of a PostgreSQL search, so that a very short query ("k", "ka")
// costs about what a name costs.
const (
	// MaxCandidates bounds the documents a query ranks: at most this many
	// match by prefix and this many by trigram similarity, and only these
	// are ranked and paged through. A query matching more (a one- or
	// two-letter prefix matches thousands of names) ranks an arbitrary
	// subset of its matches: type more letters to narrow it.
	MaxCandidates = 1000
	// MinFuzzyLength is the shortest word matched by trigram similarity
	// (misspellings); shorter words match as prefixes only, a trigram of
	// one or two letters telling nothing.
	MinFuzzyLength = 4
)

// query returns the hits for terms among kinds (all when empty), best
// first, skipping offset and returning at most limit.
func (ix index) query(ctx context.Context, c execer, terms [][]string, kinds []Kind, offset, limit int) ([]Hit, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	var q string
	var args []any
	if ix.dialect == dialect.Postgres {
		q, args = ix.postgresQuery(terms, kinds, offset, limit)
	} else {
		q, args = ix.sqliteQuery(terms, kinds)
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset)
	}
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.ID, &h.Kind, &h.Highlight, &h.Rank); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// sqliteQuery matches with FTS5: each term as a prefix, its alternatives
// joined by OR, the terms by AND; ranked by bm25 (lower is better there).
func (ix index) sqliteQuery(terms [][]string, kinds []Kind) (string, []any) {
	match := make([]string, len(terms))
	for i, alts := range terms {
		quoted := make([]string, len(alts))
		for j, a := range alts {
			quoted[j] = `"` + strings.ReplaceAll(a, `"`, `""`) + `"*`
		}
		match[i] = "(" + strings.Join(quoted, " OR ") + ")"
	}
	q := "SELECT rowid, kind, snippet(search_documents, 2, '<b>', '</b>', '…', 16), -bm25(search_documents) " +
		"FROM search_documents WHERE search_documents MATCH ?"
	args := []any{strings.Join(match, " AND ")}
	if len(kinds) > 0 {
		q += " AND kind IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ") + ")"
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	return q + " ORDER BY bm25(search_documents), rowid", args
}

// postgresQuery matches with the tsvector (prefix terms) or, for words
// misspelt, with trigram word similarity; ranks at most MaxCandidates of
// each by ts_rank plus the similarity, and highlights only the page.
func (ix index) postgresQuery(terms [][]string, kinds []Kind, offset, limit int) (string, []any) {
	parts := make([]string, len(terms))
	var words []string
	for i, alts := range terms {
		ors := make([]string, len(alts))
		for j, a := range alts {
			ors[j] = "'" + strings.ReplaceAll(a, "'", "''") + "':*"
		}
		parts[i] = "(" + strings.Join(ors, " | ") + ")"
		words = append(words, alts[len(alts)-1])
	}
	text := strings.Join(words, " ")
	args := []any{strings.Join(parts, " & "), text}
	of := ""
	if len(kinds) > 0 {
		of = " AND kind = ANY($3)"
		args = append(args, "{"+strings.Join(kinds, ",")+"}")
	}
	// The two matches are unioned rather than ORed: with OR the planner
	// scans the table and computes the similarity of every row.
	candidates := fmt.Sprintf("(SELECT id FROM search_documents WHERE tsv @@ to_tsquery('simple', $1)%s LIMIT %d)", of, MaxCandidates)
	if fuzzy(words) {
		candidates += fmt.Sprintf(" UNION (SELECT id FROM search_documents WHERE $2 <%% body%s LIMIT %d)", of, MaxCandidates)
	}
	q := "WITH m AS (" + candidates + "), " +
		"page AS (SELECT d.id, d.kind, d.body, ts_rank(d.tsv, to_tsquery('simple', $1)) + word_similarity($2, d.body) AS r " +
		"FROM search_documents d WHERE d.id IN (SELECT id FROM m) " +
		fmt.Sprintf("ORDER BY r DESC, d.id LIMIT %d OFFSET %d) ", limit, offset) +
		"SELECT id, kind, ts_headline('simple', body, to_tsquery('simple', $1), 'StartSel=<b>, StopSel=</b>, MaxFragments=1, MaxWords=16, MinWords=4'), r " +
		"FROM page ORDER BY r DESC, id"
	return q, args
}

// fuzzy reports whether a query's words are worth matching by trigram
// similarity: at least one has MinFuzzyLength letters.
func fuzzy(words []string) bool {
	for _, w := range words {
		if len([]rune(w)) >= MinFuzzyLength {
			return true
		}
	}
	return false
}
