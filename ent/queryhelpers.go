package ent

// This file is written by hand (entc leaves it alone): helpers of the
// Hub's query template (ent/template/query.tmpl) and of its version of
// entgql's Paginate (ent/entgqltemplate/paginate.tmpl).

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bridgesoftrust/hub/internal/gqlexec"
	"github.com/bridgesoftrust/hub/internal/readmostly"
)

// selectsColumn reports whether a query's columns name column.
func selectsColumn(columns []string, column string) bool {
	for _, c := range columns {
		if c == column {
			return true
		}
	}
	return false
}

// unionFields returns the fields that two queries select together: nil
// (every field) when either selects every field.
func unionFields(a, b []string) []string {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	union := append(make([]string, 0, len(a)+len(b)), a...)
	for _, f := range b {
		if !selectsColumn(union, f) {
			union = append(union, f)
		}
	}
	return union
}

// totalColumn is the column in which a connection's first page carries
// the count of every row of the connection (see selectTotalInPage).
const totalColumn = "hub_total_count"

// selectTotalInPage adds to a page's statement the count of every row that
// its filters (the privacy rules' included) match, as a subquery with the
// page's WHERE that the database runs once. A window count (COUNT(*) OVER
// ()) gives the same number but made PostgreSQL read every row of the
// table before the LIMIT: 16 ms instead of 8 ms for the count and 0.05 ms
// for the page apart, on 40,000 partnerships.
func selectTotalInPage(s *sql.Selector) {
	s.AppendSelectExprAs(countWhere(s, sql.Table(s.TableName())), totalColumn)
}

// countWhere returns the count of the rows of from that the filters of s
// match, as a subquery: from is s's own table, under the name that the
// filters use.
func countWhere(s *sql.Selector, from sql.TableView) *sql.Selector {
	count := sql.Dialect(s.Dialect()).Select(sql.Count("*")).From(from)
	if p := s.P(); p != nil {
		count.Where(p)
	}
	return count
}

// totalInPage reads the count that selectTotalInPage added from a row of
// the page, given the row's Value method.
func totalInPage(value func(string) (ent.Value, error)) (int, error) {
	return intValue(value, totalColumn)
}

// intValue returns the integer that a node's statement selected in column
// beyond its fields, given the node's Value method.
func intValue(value func(string) (ent.Value, error), column string) (int, error) {
	v, err := value(column)
	if err != nil {
		return 0, err
	}
	switch v := v.(type) {
	case int64:
		return int(v), nil
	case int:
		return v, nil
	}
	return 0, fmt.Errorf("ent: %s of type %T", column, v)
}

// selectTotalOfPartition adds to the statement of an edge's first pages,
// loaded for several parents at once, the count of each parent's rows
// (COUNT(*) OVER (PARTITION BY the edge's foreign key)) that its filters
// and the privacy rules let through. It runs before entgql.LimitPerRow,
// which numbers the same partitions to keep each parent's first rows, so
// the count costs no statement and no scan of its own; selectTotalColumn,
// run after LimitPerRow, carries it through LimitPerRow's outer statement.
func selectTotalOfPartition(fk string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		count := sql.Window(func(b *sql.Builder) { b.WriteString("COUNT(*)") }).PartitionBy(s.C(fk))
		s.AppendSelectExprAs(count, totalColumn)
	}
}

// selectTotalColumn selects the count that selectTotalOfPartition added,
// in the statement that entgql.LimitPerRow wraps around it.
func selectTotalColumn(s *sql.Selector) {
	s.AppendSelect(s.C(totalColumn))
}

// valuer is a node that returns the values its statement selected beyond
// its fields (every node's Value method).
type valuer interface {
	Value(string) (ent.Value, error)
}

// totalOfEdge returns a parent's count of an edge from the first of its
// loaded rows (see selectTotalInPage and selectTotalOfPartition): 0 when
// the parent has none.
func totalOfEdge[T valuer](rows []T, err error) (int, error) {
	if err != nil || len(rows) == 0 {
		return 0, nil
	}
	return totalInPage(rows[0].Value)
}

// langArgument is the argument of the GraphQL fields that read a
// translation (name(lang:)).
const langArgument = "lang"

// translationsNeeded reports whether a query running in ctx must select
// the translations of its localized fields: outside a GraphQL operation
// always (exports, search documents, imports read them), within one only
// if some field of the operation has a lang argument that is not null.
// Without one every name is read in English, and the translations (a JSON
// document per row, decoded per row) are neither sent nor decoded.
func translationsNeeded(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return true
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Doc == nil {
		return true
	}
	return asksForLanguage(oc.Operation.SelectionSet, oc.Doc.Fragments, oc.Variables, map[string]bool{})
}

// asksForLanguage reports whether a field in set, or in the fragments it
// spreads (each visited once), has a lang argument that is not null under
// vars.
func asksForLanguage(set ast.SelectionSet, fragments ast.FragmentDefinitionList, vars map[string]any, seen map[string]bool) bool {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if arg := sel.Arguments.ForName(langArgument); arg != nil {
				if v, err := arg.Value.Value(vars); err != nil || v != nil {
					return true
				}
			}
			if asksForLanguage(sel.SelectionSet, fragments, vars, seen) {
				return true
			}
		case *ast.InlineFragment:
			if asksForLanguage(sel.SelectionSet, fragments, vars, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if seen[sel.Name] {
				continue
			}
			seen[sel.Name] = true
			if f := fragments.ForName(sel.Name); f == nil || asksForLanguage(f.SelectionSet, fragments, vars, seen) {
				return true
			}
		}
	}
	return false
}

// fieldCollector is an Ent query that loads what a GraphQL selection of
// its type asks for (the collectField that entgql generates per type).
type fieldCollector interface {
	collectField(ctx context.Context, oneNode bool, opCtx *graphql.OperationContext, collected graphql.CollectedField,
		path []string, satisfies ...string) error
}

// CollectFieldsAt makes q load what the GraphQL fields at names below the
// field of ctx select (each name a field's schema name, under any alias;
// typeName the GraphQL type of q's nodes): for a hand-written resolver that
// returns q's nodes inside a type of its own (MunicipalityDegree.municipality,
// MunicipalityNetwork.municipalities), whose nodes would otherwise read each
// edge one node at a time. Outside GraphQL it does nothing.
func CollectFieldsAt[Q fieldCollector](ctx context.Context, q Q, typeName string, names ...string) error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	return collectBelow(ctx, q, graphql.GetOperationContext(ctx), fc.Field, nil, typeName, names)
}

// collectBelow collects, into q, the fields at names below field (at path
// of aliases from the field of ctx).
func collectBelow[Q fieldCollector](ctx context.Context, q Q, oc *graphql.OperationContext, field graphql.CollectedField,
	path []string, typeName string, names []string,
) error {
	if len(names) == 0 {
		return q.collectField(ctx, false, oc, field, path, typeName)
	}
	for _, f := range gqlexec.CollectFields(oc, field.Selections, nil) {
		if f.Name == names[0] {
			if err := collectBelow(ctx, q, oc, f, append(path[:len(path):len(path)], f.Alias), typeName, names[1:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinPrefix starts the names of the columns that a join of a to-one edge
// selects (hubj_<edge>__<column>) and of the joined table (hubj_<edge>).
const joinPrefix = "hubj_"

// statementHolders wraps a query's ScanValues for one statement: the
// holders of the node's fields are allocated for the first row and reused
// for every later one, and the columns that are not the node's fields
// (joined columns, the counts and row numbers that pages select) scan as
// the driver returns them, each row into a new holder.
//
// Reuse is safe because a node's assignValues copies each field's value
// out of its holder (database/sql gives each row's bytes a copy of their
// own), while it keeps the holder of a column that is not a field in the
// node's selectValues: those get a new one per row. On a deep list (500
// partnerships, 2,500 projects) the holders were an eighth of the
// allocations.
//
// Scanning the other columns as the driver returns them spares what Ent
// would do otherwise: ask the rows for their column types for every such
// column of every row (sql.ScanTypeOf), which allocates the types of all
// the columns each time (on a page of 500 partnerships a twentieth of the
// Hub's processor time). modernc.org/sqlite does not know the types of
// every joined column either. Values read through a node's Value method
// are then the driver's own (int64 for counts on both databases; see
// intValue).
func statementHolders(scan func([]string) ([]any, error)) func([]string) ([]any, error) {
	var (
		values []any
		kept   []int // the positions of the columns that are not fields
	)
	return func(columns []string) ([]any, error) {
		if values == nil {
			first, err := scan(columns)
			if err != nil {
				return nil, err
			}
			for i, v := range first {
				if _, unknown := v.(*sql.UnknownType); unknown {
					kept = append(kept, i)
				}
			}
			values = first
		}
		for _, i := range kept {
			values[i] = new(any)
		}
		return values, nil
	}
}

// joinedColumns are what a join adds to its parent's statement.
type joinedColumns struct {
	// join adds the joins and their columns to the parent's statement.
	join func(*sql.Selector)
	// selected are the names of the columns the joins select: the node's,
	// then those of the to-one edges it carries; sources are where each
	// comes from (the join's alias and the column), in the same order.
	selected []string
	sources  []joinedSource
	// scan returns the holders in which a row's selected columns scan,
	// in the order of selected. A statement asks once and scans every
	// row into the same holders (see readJoins).
	scan func() ([]any, error)
}

// joinedLoad is an eager load of a to-one edge read through LEFT JOINs of
// its parent's statement (see the query builders' joinPlan).
type joinedLoad[T any] struct {
	joinedColumns
	// reader returns what reads the rows of one statement: the node of a
	// row from the holders scan gave (nil when the joins found no row).
	reader func() func([]any) (*T, error)
}

// newJoinedLoad returns the load that join adds to a statement, selecting
// columns (the id first) as prefix+column, scanned into the holders scan
// gives and read by node, with the to-one edges of the node that join in
// turn.
func newJoinedLoad[T any](join func(*sql.Selector), prefix string, columns []string, edges []joinedEdge[T],
	scan func() ([]any, error), node func([]any) (*T, error),
) joinedLoad[T] {
	l := joinedLoad[T]{joinedColumns: joinedColumns{selected: make([]string, 0, len(columns))}}
	for _, c := range columns {
		l.selected = append(l.selected, prefix+c)
		l.sources = append(l.sources, joinedSource{alias: joinAlias(prefix), column: c})
	}
	for _, e := range edges {
		l.selected = append(l.selected, e.selected...)
		l.sources = append(l.sources, e.sources...)
	}
	l.join = func(s *sql.Selector) {
		join(s)
		for _, e := range edges {
			e.join(s)
		}
	}
	l.scan = func() ([]any, error) {
		values, err := scan()
		for _, e := range edges {
			if err != nil {
				break
			}
			var nested []any
			nested, err = e.scan()
			values = append(values, nested...)
		}
		return values, err
	}
	l.reader = func() func([]any) (*T, error) {
		return sharedNodes(len(columns), edges, node)
	}
	return l
}

// sharedNodes returns the reader of one statement's rows of a joined load
// whose node has width columns followed by those of edges: the rows that
// join the same node (the phase of many partnerships, the country of many
// towns) read as one node, as Ent's own eager loads share the node of one
// id among its parents, so that it is built, and its columns copied out of
// the holders, once per statement.
func sharedNodes[T any](width int, edges []joinedEdge[T], node func([]any) (*T, error)) func([]any) (*T, error) {
	seen := map[int64]*T{}
	nested := make([]func([]any) (any, error), len(edges))
	for i, e := range edges {
		nested[i] = e.reader()
	}
	return func(values []any) (*T, error) {
		if isNull(values[0]) { // the id: the join found no row
			return nil, nil
		}
		id, keyed := int64ID(values[0])
		if t, ok := seen[id]; keyed && ok {
			return t, nil
		}
		t, err := node(values[:width])
		if err != nil {
			return nil, err
		}
		at := width
		for i, e := range edges {
			v, err := nested[i](values[at : at+len(e.selected)])
			if err != nil {
				return nil, err
			}
			e.set(t, v)
			at += len(e.selected)
		}
		if keyed {
			seen[id] = t
		}
		return t, nil
	}
}

// int64ID returns the id a holder scanned, when it is an integer.
func int64ID(holder any) (int64, bool) {
	if h, ok := holder.(*sql.NullInt64); ok && h.Valid {
		return h.Int64, true
	}
	return 0, false
}

// isNull reports whether a scanned holder holds NULL.
func isNull(holder any) bool {
	switch h := holder.(type) {
	case driver.Valuer:
		v, err := h.Value()
		return err == nil && v == nil
	case *any:
		return *h == nil
	}
	return false
}

// joinedEdge is a joined load as a to-one edge of P.
type joinedEdge[P any] struct {
	joinedColumns
	// reader returns what reads the rows of one statement: the edge's node
	// of a row (a *T, nil when the joins found no row) from its holders.
	reader func() func([]any) (any, error)
	// set sets the edge of a node of P to a node reader gave.
	set func(*P, any)
}

// edgeOf returns the edge of P that load reads, set with set (given nil
// when the joins found no row).
func edgeOf[P, T any](load joinedLoad[T], set func(*P, *T)) joinedEdge[P] {
	return joinedEdge[P]{
		joinedColumns: load.joinedColumns,
		reader: func() func([]any) (any, error) {
			read := load.reader()
			return func(values []any) (any, error) { return read(values) }
		},
		set: func(n *P, t any) {
			node, _ := t.(*T)
			set(n, node)
		},
	}
}

// readJoins returns the ScanValues and Assign of a statement that joins
// edges, given the statement's own (scan, assign): the parent's columns
// go through those, each edge's columns scan into holders of its own type,
// and each row's edges are read from them as the row is assigned, then set
// by finish on the nodes the rows became (in the same order). Reading the
// joined columns by position spares a map of extra values per node and a
// lookup by name per column and row: on the portal map (five joined rows
// per partnership) that was a third of the Hub's processor time. The
// holders of the joined columns, and the slices that carry a row, are
// allocated once per statement and reused for each row: nothing keeps them
// past the row (a joined node copies its fields out of them, and its
// columns are all fields).
func readJoins[T any](edges []joinedEdge[T], scan func([]string) ([]any, error), assign func([]string, []any) error) (
	func([]string) ([]any, error), func([]string, []any) error, func([]*T) error,
) {
	var (
		l       *joinLayout
		values  []any                      // a row's holders, in the statement's order
		own     []any                      // those of the parent's own columns
		holders [][]any                    // those of each edge
		readers []func([]any) (any, error) // the reader of each edge
		joined  []any                      // the edges' nodes, row after row
	)
	start := func(columns []string) error {
		selected := make([][]string, len(edges))
		for j, e := range edges {
			selected[j] = e.selected
		}
		var err error
		if l, err = newJoinLayout(columns, selected); err != nil {
			return err
		}
		values, own = make([]any, len(columns)), make([]any, len(l.own))
		holders, readers = make([][]any, len(edges)), make([]func([]any) (any, error), len(edges))
		for j, e := range edges {
			if holders[j], err = e.scan(); err != nil {
				return err
			}
			for k, i := range l.edges[j] {
				values[i] = holders[j][k]
			}
			readers[j] = e.reader()
		}
		return nil
	}
	scanRow := func(columns []string) ([]any, error) {
		if l == nil {
			if err := start(columns); err != nil {
				return nil, err
			}
		}
		parent, err := scan(l.ownColumns)
		if err != nil {
			return nil, err
		}
		for k, i := range l.own {
			values[i] = parent[k]
		}
		return values, nil
	}
	assignRow := func(_ []string, row []any) error {
		for k, i := range l.own {
			own[k] = row[i]
		}
		for j, read := range readers {
			node, err := read(holders[j])
			if err != nil {
				return err
			}
			joined = append(joined, node)
		}
		return assign(l.ownColumns, own)
	}
	finish := func(nodes []*T) error {
		if len(nodes)*len(edges) != len(joined) {
			return fmt.Errorf("ent: %d joined edges for %d nodes", len(joined), len(nodes))
		}
		for i, n := range nodes {
			for j, e := range edges {
				e.set(n, joined[i*len(edges)+j])
			}
		}
		return nil
	}
	return scanRow, assignRow, finish
}

// joinLayout is where a statement's columns are: the positions of the
// parent's own columns and of each joined edge's.
type joinLayout struct {
	own        []int
	ownColumns []string
	edges      [][]int
}

// newJoinLayout finds in columns the columns of each edge (named in
// selected, in order); the others are the parent's.
func newJoinLayout(columns []string, selected [][]string) (*joinLayout, error) {
	index := make(map[string]int, len(columns))
	for i, c := range columns {
		index[c] = i
	}
	l := &joinLayout{edges: make([][]int, len(selected))}
	joined := make([]bool, len(columns))
	for j, names := range selected {
		for _, name := range names {
			i, ok := index[name]
			if !ok {
				return nil, fmt.Errorf("ent: joined column %s is not selected", name)
			}
			l.edges[j] = append(l.edges[j], i)
			joined[i] = true
		}
	}
	for i, c := range columns {
		if !joined[i] {
			l.own = append(l.own, i)
			l.ownColumns = append(l.ownColumns, c)
		}
	}
	return l, nil
}

// maxIdentifier is the longest identifier PostgreSQL keeps: a longer column
// name would be cut and no longer found.
const maxIdentifier = 63

// fitsIdentifiers reports whether every column of columns selected as
// prefix+column has a name the databases keep whole.
func fitsIdentifiers(prefix string, columns []string) bool {
	for _, c := range columns {
		if len(prefix)+len(c) > maxIdentifier {
			return false
		}
	}
	return true
}

// joinTable returns the modifier that LEFT JOINs the row of table whose id
// column equals column fk of the statement's table (of the table joined as
// from, when from is not empty), selecting its columns as prefix+column.
// When filter is not nil only the rows it keeps are joined: the join is of
// a subquery of those rows (which the databases fold into the join).
func joinTable(table, from, fk, id, prefix string, columns []string, filter func(*sql.Selector)) func(*sql.Selector) {
	alias := joinAlias(prefix)
	return func(s *sql.Selector) {
		d := sql.Dialect(s.Dialect())
		var joined sql.TableView = d.Table(table).As(alias)
		if filter != nil {
			// The parent's context carries the viewer to the read rules
			// that edge predicates in the filter AND in
			// (predicate.ReadFilter), as in the load's own statement.
			rows := d.Select(columns...).From(d.Table(table)).WithContext(s.Context())
			filter(rows)
			joined = rows.As(alias)
		}
		on := s.C(fk)
		if from != "" {
			on = d.Table(from).C(fk)
		}
		t := d.Table(alias)
		s.LeftJoin(joined).On(on, t.C(id))
		for _, c := range columns {
			sel := joinedSelectionOf(s.Dialect(), t, alias, c, prefix)
			s.AppendSelectExprAs(sel.expr, sel.as)
		}
	}
}

// joinAlias is the alias of the table joined for the columns named
// prefix+column.
func joinAlias(prefix string) string { return strings.TrimSuffix(prefix, "__") }

// joinedSource is where a joined column comes from: the column of the
// table joined as alias.
type joinedSource struct{ alias, column string }

// expr returns the column as a statement of dialect reads it.
func (j joinedSource) expr(dialect string) sql.Querier {
	return joinedSelectionOf(dialect, sql.Dialect(dialect).Table(j.alias), j.alias, j.column, "").expr
}

// joinedSelection is how a statement selects a joined column: the column
// of the join's alias, raw, as its quoted name.
type joinedSelection struct {
	expr sql.Querier
	as   string
}

// joinedSelectionKey names a joinedSelection: the dialect, the join's
// alias, the column and the prefix of its name.
type joinedSelectionKey struct{ dialect, alias, column, prefix string }

// joinedSelections keeps the joinedSelection of every joined column a
// statement has selected (a finite set: the schema's columns under the
// aliases of its to-one edges, up to the length of an identifier). They
// are the same text in every statement, and writing them anew cost each
// joined column of each statement about nine allocations: quoting the
// identifiers, and the parentheses Ent wraps around an expression that is
// not raw, in a builder of its own (a municipality's page selects 21
// joined columns).
var joinedSelections readmostly.Map[joinedSelectionKey, joinedSelection]

// joinedSelectionOf returns the selection of column of t, joined as alias,
// named prefix+column, in dialect.
func joinedSelectionOf(dialect string, t *sql.SelectTable, alias, column, prefix string) joinedSelection {
	key := joinedSelectionKey{dialect, alias, column, prefix}
	if sel, ok := joinedSelections.Load(key); ok {
		return sel
	}
	var as sql.Builder
	as.SetDialect(dialect)
	as.Ident(prefix + column)
	sel := joinedSelection{expr: sql.Raw(t.C(column)), as: as.String()}
	joinedSelections.Store(key, sel)
	return sel
}

// reselectColumns selects the joined columns (named selected) again from a
// statement that a later modifier wrapped around the joins (entgql's
// LimitPerRow keeps only the parent's own columns); a statement that
// still selects them is left alone.
func reselectColumns(selected []string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		if len(s.FindSelection(selected[0])) > 0 {
			return
		}
		for _, c := range selected {
			s.AppendSelect(s.C(c))
		}
	}
}
