package server

import (
	"context"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// listCoercion is the gqlgen extension that applies GraphQL's input
// coercion of a single value (literal or variable) to a list of one (orderBy: {field:
// NAME} for orderBy: [{field: NAME}]) in the operation's syntax tree.
// gqlgen coerces the arguments it decodes itself, but entgql's field
// collection reads nested connections' arguments from the tree and
// ignores anything but a plain list, so a nested orderBy written that way
// (or passed in a variable) was silently dropped. The rewrite is idempotent, so cached documents may be
// rewritten again.
type listCoercion struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = listCoercion{}

// ExtensionName implements graphql.HandlerExtension.
func (listCoercion) ExtensionName() string { return "HubListCoercion" }

// Validate implements graphql.HandlerExtension.
func (listCoercion) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (listCoercion) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	seen := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				wrapListArguments(sel)
				walk(sel.SelectionSet)
			case *ast.InlineFragment:
				walk(sel.SelectionSet)
			case *ast.FragmentSpread:
				if def := opCtx.Doc.Fragments.ForName(sel.Name); def != nil && !seen[sel.Name] {
					seen[sel.Name] = true
					walk(def.SelectionSet)
				}
			}
		}
	}
	walk(opCtx.Operation.SelectionSet)
	wrapListVariables(opCtx)
	return nil
}

// wrapListVariables gives list-typed variables the plain []any form that
// a list literal has: a single value becomes a list of one, as GraphQL's
// input coercion asks, and a typed slice such as the []map[string]any that
// gqlgen's coercion produces becomes []any (entgql reads only that form).
func wrapListVariables(opCtx *graphql.OperationContext) {
	for _, def := range opCtx.Operation.VariableDefinitions {
		v, ok := opCtx.Variables[def.Variable]
		if !ok || v == nil || def.Type.Elem == nil {
			continue
		}
		if _, plain := v.([]any); plain {
			continue
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
			opCtx.Variables[def.Variable] = []any{v}
			continue
		}
		list := make([]any, rv.Len())
		for i := range list {
			list[i] = rv.Index(i).Interface()
		}
		opCtx.Variables[def.Variable] = list
	}
}

// wrapListArguments wraps the literal, non-list values of f's list-typed
// arguments in a list.
func wrapListArguments(f *ast.Field) {
	if f.Definition == nil {
		return
	}
	for _, arg := range f.Arguments {
		def := f.Definition.Arguments.ForName(arg.Name)
		if def == nil || def.Type.Elem == nil || arg.Value == nil {
			continue
		}
		switch arg.Value.Kind {
		case ast.ListValue, ast.Variable, ast.NullValue:
			continue
		}
		arg.Value = &ast.Value{
			Kind:         ast.ListValue,
			Position:     arg.Value.Position,
			Children:     ast.ChildValueList{{Value: arg.Value, Position: arg.Value.Position}},
			Definition:   arg.Value.Definition,
			ExpectedType: def.Type,
		}
	}
}
