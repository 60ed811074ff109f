package ent

// This file is written by hand (entc leaves it alone): helpers of the
// Hub's query template (ent/template/query.tmpl) and of its version of
// entgql's Paginate (ent/entgqltemplate/paginate.tmpl).

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"strings"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
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
	count := sql.Dialect(s.Dialect()).Select(sql.Count("*")).From(sql.Table(s.TableName()))
	if p := s.P(); p != nil {
		count.Where(p)
	}
	s.AppendSelectExprAs(count, totalColumn)
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
	for _, f := range graphql.CollectFields(oc, field.Selections, nil) {
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

// scanUnknownAsAny wraps a query's ScanValues so that the columns that are
// not the node's fields (joined columns, the counts and row numbers that
// pages select) scan as the driver returns them. Ent would otherwise ask
// the rows for their column types for every such column of every row
// (sql.ScanTypeOf), which allocates the types of all the columns each
// time: on a page of 500 partnerships a twentieth of the Hub's processor
// time. modernc.org/sqlite does not know the types of every joined column
// either. Values read through a node's Value method are then the driver's
// own (int64 for counts on both databases; see intValue).
func scanUnknownAsAny(scan func([]string) ([]any, error)) func([]string) ([]any, error) {
	return func(columns []string) ([]any, error) {
		values, err := scan(columns)
		if err != nil {
			return nil, err
		}
		for i, v := range values {
			if _, unknown := v.(*sql.UnknownType); unknown {
				values[i] = new(any)
			}
		}
		return values, nil
	}
}

// joinedLoad is an eager load of a to-one edge read through LEFT JOINs of
// its parent's statement (see the query builders' joinPlan).
type joinedLoad[T any] struct {
	// join adds the joins and their columns to the parent's statement.
	join func(*sql.Selector)
	// read returns the node that the joins found for a row of the parent
	// (nil when they found none), given the row's Value method.
	read func(func(string) (ent.Value, error)) (*T, error)
	// selected are the names of the columns the joins select.
	selected []string
}

// newJoinedLoad returns the load that join adds to a statement, selecting
// columns as prefix+column, read by node, with the to-one edges of the
// node that join in turn.
func newJoinedLoad[T any](join func(*sql.Selector), prefix string, columns []string, edges []joinedEdge[T],
	node func(func(string) (ent.Value, error)) (*T, error),
) joinedLoad[T] {
	l := joinedLoad[T]{selected: make([]string, 0, len(columns))}
	for _, c := range columns {
		l.selected = append(l.selected, prefix+c)
	}
	for _, e := range edges {
		l.selected = append(l.selected, e.selected...)
	}
	l.join = func(s *sql.Selector) {
		join(s)
		for _, e := range edges {
			e.join(s)
		}
	}
	l.read = func(value func(string) (ent.Value, error)) (*T, error) {
		t, err := node(value)
		if t == nil || err != nil {
			return nil, err
		}
		for _, e := range edges {
			if err := e.read(t, value); err != nil {
				return nil, err
			}
		}
		return t, nil
	}
	return l
}

// joinedEdge is a joined load as a to-one edge of P: read sets the edge of
// a node of P from its row.
type joinedEdge[P any] struct {
	join     func(*sql.Selector)
	selected []string
	read     func(*P, func(string) (ent.Value, error)) error
}

// edgeOf returns the edge of P that load reads, set with set (given nil
// when the joins found no row).
func edgeOf[P, T any](load joinedLoad[T], set func(*P, *T)) joinedEdge[P] {
	return joinedEdge[P]{join: load.join, selected: load.selected, read: func(n *P, value func(string) (ent.Value, error)) error {
		t, err := load.read(value)
		if err != nil {
			return err
		}
		set(n, t)
		return nil
	}}
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
	alias := strings.TrimSuffix(prefix, "__")
	return func(s *sql.Selector) {
		d := sql.Dialect(s.Dialect())
		var joined sql.TableView = d.Table(table).As(alias)
		if filter != nil {
			rows := d.Select(columns...).From(d.Table(table))
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
			s.AppendSelectExprAs(sql.Expr(t.C(c)), prefix+c)
		}
	}
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

// assignJoined stores v, a joined column's value as the driver returned it,
// in dest, the holder that a node's scanValues gives for the column.
func assignJoined(dest any, v any) error {
	switch d := dest.(type) {
	case stdsql.Scanner:
		return d.Scan(v)
	case *[]byte:
		switch v := v.(type) {
		case nil:
			*d = nil
		case []byte:
			*d = append([]byte(nil), v...)
		case string:
			*d = []byte(v)
		default:
			return fmt.Errorf("cannot store %T in %T", v, dest)
		}
		return nil
	case *sql.UnknownType:
		*d = v
		return nil
	case *any:
		*d = v
		return nil
	}
	return fmt.Errorf("cannot store %T in %T", v, dest)
}
