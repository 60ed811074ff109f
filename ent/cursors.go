package ent

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// cursorField is the GraphQL name of an edge's cursor.
const cursorField = "cursor"

// pageCursorsOnly reports whether a connection paginated for the GraphQL
// field of ctx needs cursors for its page's first and last edge only (its
// PageInfo's start and end cursors): the operation selects no edge's
// cursor. A cursor is an allocated slice of boxed values, computed for
// every edge by entgql, whose pages seldom select one. Outside a GraphQL
// field (the Hub's own code paginating) every edge gets its cursor.
func pageCursorsOnly(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	return fc != nil && !selectsEdgeCursor(fc.Field.Selections, false)
}

// selectsEdgeCursor reports whether set (the selections of a connection
// field, or those of its edges when inEdges) names an edge's cursor: a
// field cursor in a field edges, by their names whatever their aliases,
// in fragments too. It reads the document as written, without collecting
// fields (once per connection, for hundreds of partnerships' projects,
// that lookup cost a twentieth of a deep list's processor time): a cursor
// that a directive skips still counts, which only costs the cursors.
func selectsEdgeCursor(set ast.SelectionSet, inEdges bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if inEdges && s.Name == cursorField {
				return true
			}
			if !inEdges && s.Name == edgesField && selectsEdgeCursor(s.SelectionSet, true) {
				return true
			}
		case *ast.InlineFragment:
			if selectsEdgeCursor(s.SelectionSet, inEdges) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || selectsEdgeCursor(s.Definition.SelectionSet, inEdges) {
				return true // an unresolved fragment keeps every cursor
			}
		}
	}
	return false
}
