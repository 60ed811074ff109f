package gqlexec

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// OperationCache is the gqlgen extension that keeps the arguments of each
// field as the executor parsed them (see Args) and the fields it collected
// from each selection set (see CollectFields): a field inside a list
// (name(lang:) of every town on a page, projects(first:) of every
// partnership) is one node of the query document, so its arguments are
// parsed and their maps allocated once rather than once per element.
// What does not depend on the operation's variables (arguments written as
// literals; selections when no directive reads a variable) is kept for
// the query document, which the server's query cache hands to every
// operation of the same text (see documentCache); the rest for the
// operation. gqlgen has no cache of arguments, and keeps collected fields
// per operation. Parsing errors are not kept: each occurrence reports its
// own.
type OperationCache struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = OperationCache{}

// operationCacheKey names the cache among the operation's statistics
// extensions, the one per-operation slot gqlgen hands to extensions.
const operationCacheKey = "HubOperationCache"

// ExtensionName implements graphql.HandlerExtension.
func (OperationCache) ExtensionName() string { return operationCacheKey }

// Validate implements graphql.HandlerExtension.
func (OperationCache) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator: it
// gives the operation its cache before it runs.
func (OperationCache) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	cache := &operationCache{}
	if opCtx.Doc != nil {
		cache.doc = documentCacheOf(opCtx.Doc)
	}
	opCtx.Stats.SetExtension(operationCacheKey, cache)
	return nil
}

// operationCache maps a field of the query document (its *ast.Field) to
// its parsed arguments, and a selection set to its collected fields, for
// what depends on the operation's variables; doc keeps the rest. Root
// fields resolve concurrently, hence the sync.Map and the lock.
type operationCache struct {
	doc       *documentCache
	byField   sync.Map
	collected operationFields
}

// argsOf returns where the parsed arguments of field are kept: for the
// document when they are literals, else for the operation.
func (c *operationCache) argsOf(field *ast.Field) *sync.Map {
	if c.doc != nil && !readsVariables(field.Arguments) {
		return &c.doc.byField
	}
	return &c.byField
}

// Args returns the arguments of field as parse makes them from the field's
// argument values under vars, parsing each field of the document once per
// operation when the operation (opCtx, the one running in ctx, which the
// executor holds: no walk up the context for each field) has an
// OperationCache. The generated executor
// calls it in place of parse (see graph/codegen); resolvers must treat the
// arguments they receive as read-only, as gqlgen's own documentation of
// FieldContext.Args already asks.
func Args(
	ctx context.Context,
	opCtx *graphql.OperationContext,
	field graphql.CollectedField,
	vars map[string]any,
	parse func(ctx context.Context, rawArgs map[string]any) (map[string]any, error),
) (map[string]any, error) {
	cache := cacheOf(opCtx)
	if cache == nil {
		return parse(ctx, field.ArgumentMap(vars))
	}
	kept := cache.argsOf(field.Field)
	if args, ok := kept.Load(field.Field); ok {
		return args.(map[string]any), nil
	}
	args, err := parse(ctx, field.ArgumentMap(vars))
	if err == nil {
		kept.Store(field.Field, args)
	}
	return args, err
}

// KeptArgs returns the arguments of field that Args parsed and kept for
// the operation opCtx, or nil. The executor's field contexts ask it first
// (see graph/codegen): a context carrying the field's context is only
// needed to parse, and report errors, when nothing was kept.
func KeptArgs(opCtx *graphql.OperationContext, field graphql.CollectedField) map[string]any {
	cache := cacheOf(opCtx)
	if cache == nil {
		return nil
	}
	if args, ok := cache.argsOf(field.Field).Load(field.Field); ok {
		return args.(map[string]any)
	}
	return nil
}

// cacheOf returns the cache of the operation opCtx, or nil.
func cacheOf(opCtx *graphql.OperationContext) *operationCache {
	cache, _ := opCtx.Stats.GetExtension(operationCacheKey).(*operationCache)
	return cache
}
