package ent

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
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
	return graphql.GetFieldContext(ctx) != nil && collectedField(ctx, edgesField, cursorField) == nil
}
