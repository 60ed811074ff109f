package ent

// This file is written by hand (entc leaves it alone): the first pages of
// a one-to-many connection folded into their parents' statement on
// PostgreSQL (a partnership's first projects read with the partnerships),
// for the Hub's query template (ent/template/query.tmpl).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// foldPrefix starts the column that carries a folded page in its parents'
// statement: hubf_<edge>__<name of the eager load>.
const foldPrefix = "hubf_"

// foldedPage is the first page of each parent's rows of a one-to-many edge
// (see perParentPage), read in the parents' own statement instead of a
// statement of its own after it: each parent row selects its page as one
// JSON array of rows,
//
//	array_to_json(ARRAY(SELECT json_build_array(<columns>) FROM <table>
//	    WHERE <the page's filters and privacy rules> AND <fk> = <parent>.id
//	    ORDER BY <order> LIMIT <limit>)) AS hubf_<edge>__<name>
//
// which PostgreSQL evaluates for the rows the parents' statement returns,
// each through the index of the foreign key, as LATERAL would. That spares
// the page's own statement and round trip: on a municipality's page the
// projects of its partnerships. An ARRAY of a subquery keeps the
// subquery's order, where json_agg keeps it only when told (ORDER BY in the
// aggregate, which had to number the rows first: a third of the statement's
// time on a forum page's latest posts). A query folds its page only when it
// loads nothing more below it than to-one edges that join (see below), its
// type's read rules at most filter its rows, and every column it reads
// decodes from JSON as the driver would return it (foldableHolders);
// otherwise it is read as before.
//
// A page whose rows join their to-one edges (a post's author, see
// joinToOneLoads) folds with its joins: each row's array carries the joined
// columns after its own, read into the edges as the joins' own statement
// would (the rows that join one node share it).
//
// A counted page (see perParentPage) folds into a statement of at most
// maxCountedFoldParents rows, a node's: it carries its parent's total as
// the last value of each of its rows, a subquery of the page's filters
// that PostgreSQL evaluates once per parent (a parent without rows has
// none). Over more parents it stays in the window, which counts in the
// pass that numbers.
//
// The page's table is named after the column that carries it, apart from
// the parents' table: the replies of posts read in the posts' statement
// would otherwise compare each post's id with its own.
type foldedPage[T any] struct {
	page    *sql.Selector
	fk      string
	columns []string
	joins   []joinedEdge[T]
	order   []sql.Querier
	limit   int
	counted bool
	// qualified tells that the page's order names its own table's columns
	// (see qualifiedOrder).
	qualified bool
	// scan returns the holders of a row's own columns, assign the node
	// they make (the type's scanValues and assignValues), given the
	// total's holder after them for a counted page's first row of each
	// parent (see rows).
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
		var total sql.Querier
		if f.counted {
			total = countWhere(page, page.Table())
		}
		page.SelectExpr(f.row(page, total)).OrderExpr(f.order...).Limit(f.limit)
		s.AppendSelectExprAs(sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("array_to_json(ARRAY").Wrap(func(b *sql.Builder) { b.Join(page) }).WriteByte(')')
		}), column)
	}
}

// row returns the JSON array of a row of page: its columns, its joins'
// columns and, when not nil, the total.
func (f *foldedPage[T]) row(page *sql.Selector, total sql.Querier) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("json_build_array(")
		for i, c := range f.columns {
			if i > 0 {
				b.Comma()
			}
			b.Ident(page.C(c))
		}
		for _, j := range f.joins {
			for _, source := range j.sources {
				b.Comma().Join(source.expr(b.Dialect()))
			}
		}
		if total != nil {
			b.Comma().Wrap(func(b *sql.Builder) { b.Join(total) })
		}
		b.WriteByte(')')
	})
}

// foldPage returns the page p of the rows that page (the query's
// statement with its filters, from its table named apart) reads, folded
// into its parents' statement on column fk: page selects each row as one
// JSON array of its columns, in the page's order and up to its limit.
func foldPage[T any](page *sql.Selector, fk string, p *perParentPage, columns []string, joins []joinedEdge[T],
	scan func() ([]any, error), assign func([]any) (*T, error),
) *foldedPage[T] {
	for _, j := range joins {
		j.join(page)
	}
	order, qualified := p.orderBy, true
	if len(joins) > 0 {
		order, qualified = qualifiedOrder(page, p.orderBy)
	}
	return &foldedPage[T]{page: page, fk: fk, columns: columns, joins: joins, order: order, limit: p.limit, counted: p.counted,
		scan: scan, assign: assign, qualified: qualified}
}

// qualifiedOrder returns the order terms of page, whose rows join other
// tables, with each column named after page's table: the pagers write
// `"column" DESC, "id" ASC`, which ORDER BY resolves against the selected
// columns first, and a folded page selects one JSON value, so a bare "id"
// would name the joined tables' too. It reports false when a term is not
// a list of quoted columns, each with its direction, or carries arguments.
func qualifiedOrder(page *sql.Selector, terms []sql.Querier) ([]sql.Querier, bool) {
	out := make([]sql.Querier, len(terms))
	for i, term := range terms {
		b := sql.Builder{}
		b.SetDialect(page.Dialect())
		text, args := b.Join(term).Query()
		quote := b.Quote("x")[:1] // the dialect's identifier quote
		if len(args) > 0 || strings.ContainsAny(text, "()") {
			return terms, false
		}
		columns := strings.Split(text, ", ")
		for j, c := range columns {
			end := 1 + strings.Index(c[min(1, len(c)):], quote) // the closing quote
			if !strings.HasPrefix(c, quote) || end < 1 || strings.Count(c, quote) != 2 {
				return terms, false
			}
			columns[j] = page.C(c[1:end]) + c[end+1:]
		}
		out[i] = sql.Raw(strings.Join(columns, ", "))
	}
	return out, true
}

// holders returns the holders of a folded row's values, its own columns'
// then each join's, and the readers of the joins' nodes from theirs.
func (f *foldedPage[T]) holders() (own, all []any, joined [][]any, readers []func([]any) (any, error), err error) {
	if own, err = f.scan(); err != nil {
		return nil, nil, nil, nil, err
	}
	all = own
	joined, readers = make([][]any, len(f.joins)), make([]func([]any) (any, error), len(f.joins))
	for j, e := range f.joins {
		if joined[j], err = e.scan(); err != nil {
			return nil, nil, nil, nil, err
		}
		all = append(all[:len(all):len(all)], joined[j]...)
		readers[j] = e.reader()
	}
	return own, all, joined, readers, nil
}

// foldable reports whether every value of the page's rows decodes from
// JSON as the driver would return it (foldableHolders).
func (f *foldedPage[T]) foldable() bool {
	_, all, _, _, err := f.holders()
	return err == nil && f.qualified && foldableHolders(all)
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
	most := maxLateralParents
	if p != nil && p.counted {
		most = maxCountedFoldParents
	}
	return p != nil && name == dialect.Postgres && !unique && parents > 0 && parents <= most
}

// maxCountedFoldParents is the most rows of a statement that a counted
// page folds into: a node's statement reads two (Only tells one from
// several).
const maxCountedFoldParents = 2

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
	own, all, joined, readers, err := f.holders()
	if err != nil {
		return nil, err
	}
	if f.counted {
		// The total's holder follows the row's own and ends the row's
		// values; the rows of a parent share it, as they share the total,
		// and only the first gives it to assign.
		own = append(own[:len(own):len(own)], new(sql.NullInt64))
		all = append(all[:len(all):len(all)], own[len(own)-1])
	}
	var nodes []*T
	err = foldedRows(raw, len(all), func(i int, value []byte) error {
		if err := scanJSON(all[i], value); err != nil {
			return fmt.Errorf("value %d: %w", i, err)
		}
		if i < len(all)-1 {
			return nil
		}
		assigned := own
		if f.counted && len(nodes) > 0 {
			// The parent's total is read from its first row (totalOfEdge):
			// the others leave it out, which spares each a map of the
			// values beyond its fields (SelectValues).
			assigned = own[:len(own)-1]
		}
		n, err := f.assign(assigned)
		if err != nil {
			return err
		}
		for j, e := range f.joins {
			node, err := readers[j](joined[j])
			if err != nil {
				return err
			}
			e.set(n, node)
		}
		nodes = append(nodes, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ent: decoding a folded page: %w", err)
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
// PostgreSQL's JSON form, JSON columns as their text. It sets the holders
// itself rather than through their Scan, which would box each value in an
// interface first: a forum page folds 240 values.
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
		n, err := strconv.ParseInt(string(raw), 10, 64)
		*h = sql.NullInt64{Int64: n, Valid: err == nil}
		return err
	case *sql.NullFloat64:
		f, err := strconv.ParseFloat(string(raw), 64)
		*h = sql.NullFloat64{Float64: f, Valid: err == nil}
		return err
	case *sql.NullString:
		s, err := jsonString(raw)
		*h = sql.NullString{String: s, Valid: err == nil}
		return err
	case *sql.NullBool:
		switch string(raw) {
		case "true", "false":
			*h = sql.NullBool{Bool: raw[0] == 't', Valid: true}
			return nil
		}
		return fmt.Errorf("boolean %.20q", raw)
	case *sql.NullTime:
		t, err := jsonTime(raw)
		*h = sql.NullTime{Time: t, Valid: err == nil}
		return err
	case *[]byte:
		*h = append((*h)[:0:0], raw...)
		return nil
	}
	return fmt.Errorf("cannot fold into %T", holder)
}

// jsonTime parses the JSON string raw, a time as PostgreSQL writes
// timestamps with and without a time zone, and dates, in JSON.
func jsonTime(raw []byte) (time.Time, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' || bytes.IndexByte(raw, '\\') >= 0 {
		s, err := jsonString(raw)
		if err != nil {
			return time.Time{}, err
		}
		return parseTime([]byte(s))
	}
	return parseTime(raw[1 : len(raw)-1])
}

// parseTime parses text in the first of timeLayouts that fits. The text is
// converted in each call to time.Parse, which keeps no reference to it, so
// that it costs no allocation (TestScanJSONAllocations).
func parseTime(text []byte) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, string(text)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q in no known layout", text)
}

// foldedRows calls visit with each value of a folded page's JSON, an array
// of rows that are arrays of columns values each, in order: column i of
// each row, the row's last column last. It splits the text in one pass
// where encoding/json validated it, split it into raw values and decoded
// each string again (a quarter of the Hub's processor time on a forum page
// of 20 topics with 3 posts each): PostgreSQL wrote the text, so it only
// has to be split, and a value is refused only when it is cut short.
func foldedRows(raw []byte, columns int, visit func(i int, value []byte) error) error {
	rest, ok := consume(raw, '[')
	if !ok {
		return fmt.Errorf("folded page %.20q is no array", raw)
	}
	for first := true; ; first = false {
		if r, ok := consume(rest, ']'); ok {
			if len(trimSpace(r)) != 0 {
				return fmt.Errorf("text after a folded page")
			}
			return nil
		}
		if !first {
			if rest, ok = consume(rest, ','); !ok {
				return fmt.Errorf("folded rows not separated by commas")
			}
		}
		var err error
		if rest, err = foldedRow(rest, columns, visit); err != nil {
			return err
		}
	}
}

// foldedRow visits the columns values of the row at the start of raw and
// returns the text after it.
func foldedRow(raw []byte, columns int, visit func(i int, value []byte) error) ([]byte, error) {
	rest, ok := consume(raw, '[')
	if !ok {
		return nil, fmt.Errorf("folded row is no array")
	}
	for i := range columns {
		if i > 0 {
			if rest, ok = consume(rest, ','); !ok {
				return nil, fmt.Errorf("folded row of %d values for %d columns", i, columns)
			}
		}
		rest = trimSpace(rest)
		n := jsonValueLen(rest)
		if n == 0 {
			return nil, fmt.Errorf("folded value cut short")
		}
		if err := visit(i, rest[:n]); err != nil {
			return nil, err
		}
		rest = rest[n:]
	}
	if rest, ok = consume(rest, ']'); !ok {
		return nil, fmt.Errorf("folded row of more values than its %d columns", columns)
	}
	return rest, nil
}

// consume returns raw after leading white space and the byte c, and
// whether c was there.
func consume(raw []byte, c byte) ([]byte, bool) {
	raw = trimSpace(raw)
	if len(raw) == 0 || raw[0] != c {
		return raw, false
	}
	return raw[1:], true
}

// trimSpace drops JSON's white space at the start of raw.
func trimSpace(raw []byte) []byte {
	for len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\n' || raw[0] == '\t' || raw[0] == '\r') {
		raw = raw[1:]
	}
	return raw
}

// jsonValueLen is the length of the JSON value at the start of raw (a
// string, an object or array with everything in it, or a literal), 0 when
// it is cut short.
func jsonValueLen(raw []byte) int {
	depth := 0
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '"':
			end := jsonStringEnd(raw[i:])
			if end == 0 {
				return 0
			}
			i += end - 1
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				return i
			}
			depth--
		case ',', ' ', '\n', '\t', '\r':
			if depth == 0 {
				return i
			}
		}
		if depth == 0 && (raw[i] == '"' || raw[i] == ']' || raw[i] == '}') {
			return i + 1
		}
	}
	if depth == 0 {
		return len(raw)
	}
	return 0
}

// jsonStringEnd is the length of the JSON string at the start of raw,
// quotes included, 0 when it is not closed.
func jsonStringEnd(raw []byte) int {
	for i := 1; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}

// jsonString decodes the JSON string raw: its text as it is where it
// escapes nothing (the usual case), through encoding/json where it does.
func jsonString(raw []byte) (string, error) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}
