package gqlexec

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// LeafSelection reports whether every field that set selects on an object
// implementing implementors (one of the executor's lists, see
// CollectImplementorFields) is one of plain (or __typename): fields that
// marshal without a field context of their own or of their object's
// field (see graph/codegen/plain.go). The executor then marshals such an
// object without building its field's context: nothing below it reads
// that context, and nothing below it can fail.
func LeafSelection(opCtx *graphql.OperationContext, set ast.SelectionSet, implementors []string, plain map[string]bool) bool {
	for _, f := range CollectImplementorFields(opCtx, set, implementors) {
		if f.Name != "__typename" && !plain[f.Name] {
			return false
		}
	}
	return true
}
