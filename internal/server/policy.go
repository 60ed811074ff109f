package server

import (
	"context"
	"net/http"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// policy is the gqlgen extension that refuses, before execution, what
// this server does not do: mutations over plain GET (GraphQL over HTTP
// allows GET for queries only, which keeps GET safe against cross-site
// requests) and, when switched off, introspection.
type policy struct {
	introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = policy{}

// ExtensionName implements graphql.HandlerExtension.
func (policy) ExtensionName() string { return "HubPolicy" }

// Validate implements graphql.HandlerExtension.
func (policy) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (p policy) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Operation
	if op == nil {
		return nil
	}
	if info := infoFrom(ctx); info != nil && info.plainGET && op.Operation != ast.Query {
		info.status = http.StatusMethodNotAllowed
		if h := responseHeader(ctx); h != nil {
			h.Set("Allow", "POST")
		}
		return refuse(apierr.BadRequest, "GET requests may only run queries; send %ss with POST", op.Operation)
	}
	if !p.introspection && introspects(op.SelectionSet) {
		return refuse(apierr.IntrospectionDisabled, "introspection is disabled on this server")
	}
	return nil
}

// introspects reports whether a root selection set asks for __schema or
// __type, directly or through fragments.
func introspects(set ast.SelectionSet) bool {
	return slices.ContainsFunc(rootFields(set), func(name string) bool { return name == "__schema" || name == "__type" })
}

// refuse returns a GraphQL request error with code.
func refuse(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}
