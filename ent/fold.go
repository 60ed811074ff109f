package ent

// This file is written by hand (entc leaves it alone): the first pages of
// a one-to-many connection folded into their parents' statement on
// PostgreSQL (a partnership's first projects read with the partnerships),
// for the Hub's query template (ent/template/query.tmpl).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// Names in a folded page's statement.
const (
	// foldPrefix starts the column that carries a folded page:
	// hubf_<edge>__<name of the eager load>.
	foldPrefix = "hubf_"
	// foldRows names a folded page's rows, and foldRow their order.
	foldRows = "hub_fold"
	foldRow  = "hub_fold_row"
)

// foldedPage is the first page of each parent's rows of a one-to-many edge
// (see perParentPage), read in the parents' own statement instead of a
// statement of its own after it: each parent row selects its page as one
// JSON value,
//
//	(SELECT COALESCE(json_agg(json_build_array(<columns>) ORDER BY hub_fold_row), '[]')
//	 FROM (SELECT <columns>, ROW_NUMBER() OVER (ORDER BY <order>) AS hub_fold_row
//	       FROM <table> WHERE <the page's filters and privacy rules> AND <fk> = <parent>.id
//	       ORDER BY <order> LIMIT <limit>) AS hub_fold) AS hubf_<edge>__<name>
//
// which PostgreSQL evaluates for the rows the parents' statement returns,
// each through the index of the foreign key, as LATERAL would. That spares
// the page's own statement and round trip: on a municipality's page the
// projects of its partnerships. A query folds its page only when it loads
// nothing more below it, its type's read rules at most filter its rows,
// and every column it reads decodes from JSON as the driver would return
// it (foldableHolders); otherwise it is read as before.
type foldedPage[T any] struct {
	page    *sql.Selector
	fk      string
	columns []string
	// scan returns the holders of a row's columns, assign the node they
	// make (the type's scanValues and assignValues).
	scan   func() ([]any, error)
	assign func([]any) (*T, error)
}

// selectAs returns the modifier that selects the page of each row of a
// parents' statement, whose rows' ids are in column id, as column.
func (f *foldedPage[T]) selectAs(id, column string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		parent := s.C(id)
		page := f.page.Clone()
		page.Where(sql.P(func(b *sql.Builder) {
			b.Ident(page.C(f.fk)).WriteString(" = ").Ident(parent)
		}))
		values := sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("COALESCE(json_agg(json_build_array(")
			for i, c := range f.columns {
				if i > 0 {
					b.Comma()
				}
				b.Ident(foldRows).WriteByte('.').Ident(c)
			}
			b.WriteString(") ORDER BY ").Ident(foldRows).WriteByte('.').Ident(foldRow).WriteString("), '[]')")
		})
		s.AppendSelectExprAs(sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("(SELECT ").Join(values).WriteString(" FROM ").
				Wrap(func(b *sql.Builder) { b.Join(page) }).WriteString(" AS ").Ident(foldRows).WriteByte(')')
		}), column)
	}
}

// newFoldedPage returns the page p of the rows that page (the query's
// statement with its filters, selecting columns) reads, folded into its
// parents' statement on column fk.
func newFoldedPage[T any](page *sql.Selector, fk string, p *perParentPage, columns []string,
	scan func() ([]any, error), assign func([]any) (*T, error),
) *foldedPage[T] {
	order := sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("ROW_NUMBER() OVER (ORDER BY ")
		for i, o := range p.orderBy {
			if i > 0 {
				b.Comma()
			}
			b.Join(o)
		}
		b.WriteByte(')')
	})
	page.AppendSelectExprAs(order, foldRow)
	page.OrderExpr(p.orderBy...).Limit(p.limit)
	return &foldedPage[T]{page: page, fk: fk, columns: columns, scan: scan, assign: assign}
}

// foldsPage reports whether page p can be folded into its parents'
// statement on a database of dialect name, the statement being unique
// (DISTINCT) or not and returning at most parents rows (0: not known).
// JSON has no equality for DISTINCT to compare. As for LATERAL (see
// maxLateralParents), PostgreSQL reads each parent's page apart, which
// pays for a few parents only: the projects of a deep list's 500
// partnerships cost it 1.45-1.57 ms folded against 1.01-1.05 numbered in
// a statement of their own.
func foldsPage(p *perParentPage, name string, unique bool, parents int) bool {
	return p != nil && !p.counted && name == dialect.Postgres && !unique && parents > 0 && parents <= maxLateralParents
}

// rows decodes the folded page v (the column's JSON) into nodes.
func (f *foldedPage[T]) rows(v ent.Value) ([]*T, error) {
	var raw []byte
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		raw = v
	case string:
		raw = []byte(v)
	default:
		return nil, fmt.Errorf("ent: folded page of type %T", v)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, fmt.Errorf("ent: decoding a folded page: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	holders, err := f.scan()
	if err != nil {
		return nil, err
	}
	nodes := make([]*T, 0, len(rows))
	for _, row := range rows {
		if len(row) != len(holders) {
			return nil, fmt.Errorf("ent: folded row of %d values for %d columns", len(row), len(holders))
		}
		for i, h := range holders {
			if err := scanJSON(h, row[i]); err != nil {
				return nil, fmt.Errorf("ent: folded column %q: %w", f.columns[i], err)
			}
		}
		n, err := f.assign(holders)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// foldableHolders reports whether every holder is of a kind that scanJSON
// fills as the driver would.
func foldableHolders(holders []any) bool {
	for _, h := range holders {
		switch h.(type) {
		case *sql.NullInt64, *sql.NullFloat64, *sql.NullString, *sql.NullBool, *sql.NullTime, *[]byte:
		default:
			return false
		}
	}
	return true
}

// timeLayouts are how PostgreSQL writes timestamps with and without a time
// zone, and dates, in JSON.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly}

// scanJSON scans the JSON value raw into holder as the driver's value of
// the column would: numbers from their text (as the driver's text
// protocol gives them), strings and booleans decoded, times parsed from
// PostgreSQL's JSON form, JSON columns as their text.
func scanJSON(holder any, raw json.RawMessage) error {
	if bytes.Equal(raw, []byte("null")) {
		if h, ok := holder.(*[]byte); ok {
			*h = nil
			return nil
		}
		return holder.(interface{ Scan(any) error }).Scan(nil)
	}
	switch h := holder.(type) {
	case *sql.NullInt64:
		return h.Scan(string(raw))
	case *sql.NullFloat64:
		return h.Scan(string(raw))
	case *sql.NullString:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		return h.Scan(s)
	case *sql.NullBool:
		var v bool
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		return h.Scan(v)
	case *sql.NullTime:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return h.Scan(t)
			}
		}
		return fmt.Errorf("time %q in no known layout", s)
	case *[]byte:
		*h = append((*h)[:0:0], raw...)
		return nil
	}
	return fmt.Errorf("cannot fold into %T", holder)
}
