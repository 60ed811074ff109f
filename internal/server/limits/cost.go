package limits

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// Cost is the gqlgen extension that checks page sizes and the estimated
// cost of a validated operation before it runs. Add it with Use(&Cost{...}):
// it keeps the schema that gqlgen hands to Validate.
type Cost struct {
	Limits
	// Record, if set, receives the cost figures of every operation that
	// passed the page-size check (e.g. for the access log).
	Record func(ctx context.Context, s Stats)
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &Cost{}

// Stats are the cost figures of one operation, for logs.
type Stats struct {
	// Complexity is the operation's estimated cost.
	Complexity int
	// Limit is the complexity limit that applied.
	Limit int
}

// ExtensionName implements graphql.HandlerExtension.
func (*Cost) ExtensionName() string { return "HubCost" }

// Validate implements graphql.HandlerExtension.
func (c *Cost) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (c *Cost) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Operation
	if op == nil {
		return nil
	}
	if err := checkPageSizes(opCtx, MaxPageSize(ctx, c.MaxPageSize)); err != nil {
		return err
	}
	limit := MaxComplexity(ctx, c.MaxComplexity)
	// Each field costs at least one, so an operation that expands (through
	// fragments) into more fields than the limit is refused before the
	// cost walk.
	if n := expandedFields(opCtx.Doc, op); exceeds(n, limit) {
		return tooComplex(n, limit)
	}
	walker := costWalker{doc: opCtx.Doc, vars: opCtx.Variables, pageSize: MaxPageSize(ctx, c.MaxPageSize)}
	n := walker.cost(op)
	opCtx.Stats.SetExtension(costExtension, Stats{Complexity: n, Limit: limit})
	if c.Record != nil {
		c.Record(ctx, Stats{Complexity: n, Limit: limit})
	}
	if exceeds(n, limit) {
		return tooComplex(n, limit)
	}
	return nil
}

// costExtension names the operation statistics entry of Cost's figures.
const costExtension = "HubCost"

// CostOf returns the cost figures that Cost computed for an operation
// (for extensions that run after it), and whether it did.
func CostOf(opCtx *graphql.OperationContext) (Stats, bool) {
	s, ok := opCtx.Stats.GetExtension(costExtension).(Stats)
	return s, ok
}

// tooComplex is the QUERY_TOO_COMPLEX refusal.
func tooComplex(n, limit int) *gqlerror.Error {
	return refuse(apierr.QueryTooComplex,
		"the query's estimated cost is %d, over the limit of %d: ask for smaller pages (first/last), fewer nested lists or fewer fields", n, limit)
}

// checkPageSizes refuses first, last or ids outside [0, max] anywhere in
// the operation, fragments included (each fragment checked once).
func checkPageSizes(opCtx *graphql.OperationContext, maxSize int) *gqlerror.Error {
	return eachField(opCtx, func(f *ast.Field) *gqlerror.Error {
		return checkField(f, opCtx.Variables, maxSize)
	})
}

// checkField checks the page-size arguments of one field.
func checkField(f *ast.Field, vars map[string]any, maxSize int) *gqlerror.Error {
	if f.Definition == nil || !hasPageSizeArguments(f.Definition.Arguments) {
		return nil
	}
	args := f.ArgumentMap(vars)
	for _, name := range []string{"first", "last"} {
		n, ok := toInt(args[name])
		if !ok {
			continue
		}
		if n < 0 {
			return refuse(apierr.PageSizeExceeded, "%s.%s: %s must not be negative", f.ObjectDefinition.Name, f.Name, name)
		}
		if exceeds(n, maxSize) {
			return refuse(apierr.PageSizeExceeded, "%s.%s: %s is %d; at most %d items per page are allowed", f.ObjectDefinition.Name, f.Name, name, n, maxSize)
		}
	}
	if ids, ok := args["ids"].([]any); ok && exceeds(len(ids), maxSize) {
		return refuse(apierr.PageSizeExceeded, "%s.%s: %d ids given; at most %d are allowed", f.ObjectDefinition.Name, f.Name, len(ids), maxSize)
	}
	return nil
}

// pageSizeArguments are the arguments that checkField checks.
var pageSizeArguments = []string{"first", "last", "ids"}

// hasPageSizeArguments reports whether a field takes any of
// pageSizeArguments (the others' arguments are not read: reading a
// field's arguments builds a map of them all).
func hasPageSizeArguments(defs ast.ArgumentDefinitionList) bool {
	for _, name := range pageSizeArguments {
		if defs.ForName(name) != nil {
			return true
		}
	}
	return false
}

// expandedFields counts the fields the operation selects once every
// fragment spread is expanded, memoising each fragment's count so that
// fragments spread many times are counted in linear time. The count
// saturates rather than overflows.
func expandedFields(doc *ast.QueryDocument, op *ast.OperationDefinition) int {
	memo := map[string]int{}
	var count func(ast.SelectionSet) int
	count = func(set ast.SelectionSet) int {
		n := 0
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if sel.Name == "__schema" {
					continue // gqlgen's walker does not cost introspection either
				}
				n = add(n, add(1, count(sel.SelectionSet)))
			case *ast.InlineFragment:
				n = add(n, count(sel.SelectionSet))
			case *ast.FragmentSpread:
				n = add(n, fragmentFields(doc, sel.Name, memo, count))
			}
		}
		return n
	}
	return count(op.SelectionSet)
}

// fragmentFields returns the memoised expanded field count of a fragment.
func fragmentFields(doc *ast.QueryDocument, name string, memo map[string]int, count func(ast.SelectionSet) int) int {
	if v, ok := memo[name]; ok {
		return v
	}
	def := doc.Fragments.ForName(name)
	if def == nil {
		return 0
	}
	memo[name] = 0 // validation has ruled out cycles; this guards anyway
	v := count(def.SelectionSet)
	memo[name] = v
	return v
}
