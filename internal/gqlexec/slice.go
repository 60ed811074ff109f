// Package gqlexec holds what the Hub's generated GraphQL executor calls in
// place of gqlgen's concurrent helpers (see graph/codegen): the Hub's
// resolvers do not block on each other, since entgql loads the edges a query
// selects before the fields are resolved, so running them one after the
// other on the request's goroutine saves a goroutine per list element and
// per field without losing parallelism that paid.
package gqlexec

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalSlice marshals the length elements of a list in order, on the
// caller's goroutine. It has the signature of gqlgen's
// graphql.MarshalSliceConcurrently, which starts a goroutine per element,
// and the same results: each element runs under its own field context with
// its index, and unless omitPanicHandler is set a panic in one element is
// reported as an error and leaves that element null.
func MarshalSlice(
	ctx context.Context,
	length int,
	_ int64,
	omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	ret := make(graphql.Array, length)
	elements := make([]listElement, length)
	parent := graphql.GetFieldContext(ctx)
	for i := range elements {
		e := &elements[i]
		e.index = i
		e.fc.Index, e.fc.Parent = &e.index, parent
		e.scope = fieldScope{Context: ctx, fc: &e.fc}
		childCtx := &e.scope
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		ret[i] = marshalRecovering(childCtx, i, marshalElement)
	}
	return ret
}

// listElement is the context of one element of a list: its field context,
// which holds its index, and the context that carries it, allocated
// together with those of the other elements.
type listElement struct {
	scope fieldScope
	fc    graphql.FieldContext
	index int
}

// marshalRecovering marshals element i, turning a panic into a GraphQL
// error and a null element, as gqlgen's own list marshalling does.
func marshalRecovering(ctx context.Context, i int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) (res graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			res = graphql.Null
		}
	}()
	return marshalElement(ctx, i)
}
