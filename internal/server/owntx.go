package server

import (
	"context"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/graph"
	"github.com/bridgesoftrust/hub/internal/apierr"
)

// ownsTransactions reports whether op is a mutation of graph.OwnTransactions
// (ownTransactions has refused mixing them with other fields).
func ownsTransactions(op *ast.OperationDefinition) bool {
	return slices.ContainsFunc(rootFields(op.SelectionSet), isOwnTransaction)
}

func isOwnTransaction(name string) bool { return slices.Contains(graph.OwnTransactions, name) }

// ownTransactions is the gqlgen extension that refuses a mutation mixing
// fields of graph.OwnTransactions with other fields: the others need the
// operation's transaction, which these must not run in.
type ownTransactions struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = ownTransactions{}

// ExtensionName implements graphql.HandlerExtension.
func (ownTransactions) ExtensionName() string { return "HubOwnTransactions" }

// Validate implements graphql.HandlerExtension.
func (ownTransactions) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (ownTransactions) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Operation
	if op == nil || op.Operation != ast.Mutation {
		return nil
	}
	fields := slices.DeleteFunc(rootFields(op.SelectionSet), func(name string) bool { return name == "__typename" })
	own := slices.ContainsFunc(fields, isOwnTransaction)
	if own && !all(fields, isOwnTransaction) {
		return refuse(apierr.BadUserInput, "%s must be the only fields of their mutation operation; send other mutations apart",
			strings.Join(graph.OwnTransactions, " and "))
	}
	return nil
}

// all reports whether every element of list satisfies f.
func all[T any](list []T, f func(T) bool) bool {
	return !slices.ContainsFunc(list, func(x T) bool { return !f(x) })
}

// rootFields returns the names of the root fields of an operation's
// selection set, including those selected through fragments.
func rootFields(set ast.SelectionSet) []string {
	var names []string
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			names = append(names, sel.Name)
		case *ast.InlineFragment:
			names = append(names, rootFields(sel.SelectionSet)...)
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				names = append(names, rootFields(sel.Definition.SelectionSet)...)
			}
		}
	}
	return names
}
