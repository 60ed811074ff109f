package limits

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// Shape is the gqlgen extension that checks the query's size, depth and
// aliases before gqlgen parses and validates it, because validating an
// oversized document is itself the expensive part. It parses the document
// once more for queries that are not in Cache; queries in Cache have
// passed before.
type Shape struct {
	Limits
	// Cache is the server's query cache (optional).
	Cache graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = Shape{}

// ExtensionName implements graphql.HandlerExtension.
func (Shape) ExtensionName() string { return "HubQueryShape" }

// Validate implements graphql.HandlerExtension.
func (Shape) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (s Shape) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	if raw.Query == "" {
		return nil
	}
	if s.Cache != nil {
		if _, ok := s.Cache.Get(ctx, raw.Query); ok {
			return nil
		}
	}
	if n := countTokens(raw.Query, s.MaxTokens); exceeds(n, s.MaxTokens) {
		return refuse(apierr.QueryTooLarge, "the query has more than %d tokens", s.MaxTokens)
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: raw.Query})
	if err != nil {
		return nil // gqlgen reports syntax errors itself
	}
	return s.check(doc)
}

// check compares the document's measures with the limits, the most
// specific first.
func (s Shape) check(doc *ast.QueryDocument) *gqlerror.Error {
	selections, aliases := countSelections(doc)
	if exceeds(aliases, s.MaxAliases) {
		return refuse(apierr.TooManyAliases, "the query has %d aliases; at most %d are allowed", aliases, s.MaxAliases)
	}
	if d := documentDepth(doc); exceeds(d, s.MaxDepth) {
		return refuse(apierr.QueryTooDeep, "the query is nested %d levels deep; at most %d are allowed", d, s.MaxDepth)
	}
	if exceeds(selections, s.MaxSelections) {
		return refuse(apierr.QueryTooLarge, "the query has %d selections; at most %d are allowed", selections, s.MaxSelections)
	}
	return nil
}

// countTokens counts the lexical tokens of query, stopping once past limit
// (when limit > 0). A lexing error ends the count; the parser reports it.
func countTokens(query string, limit int) int {
	lex := lexer.New(&ast.Source{Input: query})
	n := 0
	for {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF || exceeds(n, limit) {
			return n
		}
		n++
	}
}

// countSelections counts the selections and aliases written in the
// document, in operations and fragments alike, without following spreads.
func countSelections(doc *ast.QueryDocument) (selections, aliases int) {
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			selections++
			switch sel := sel.(type) {
			case *ast.Field:
				if sel.Alias != "" && sel.Alias != sel.Name {
					aliases++
				}
				walk(sel.SelectionSet)
			case *ast.InlineFragment:
				walk(sel.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	return selections, aliases
}

// documentDepth returns the deepest field nesting of any operation,
// following fragment spreads. Each fragment is measured once; a spread of
// an unknown fragment or a cycle counts as zero (validation rejects both).
func documentDepth(doc *ast.QueryDocument) int {
	d := depthWalker{doc: doc, memo: map[string]int{}}
	deepest := 0
	for _, op := range doc.Operations {
		deepest = max(deepest, d.set(op.SelectionSet))
	}
	return deepest
}

type depthWalker struct {
	doc  *ast.QueryDocument
	memo map[string]int // fragment name -> depth; -1 while being measured
}

// set returns the depth of a selection set.
func (d depthWalker) set(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			deepest = max(deepest, d.field(sel))
		case *ast.InlineFragment:
			deepest = max(deepest, d.set(sel.SelectionSet))
		case *ast.FragmentSpread:
			deepest = max(deepest, d.fragment(sel.Name))
		}
	}
	return deepest
}

// field returns the depth of a field with its selections.
func (d depthWalker) field(f *ast.Field) int {
	if f.Name == "__schema" || f.Name == "__type" {
		return 1
	}
	return 1 + d.set(f.SelectionSet)
}

// fragment returns the depth of the named fragment's selections.
func (d depthWalker) fragment(name string) int {
	if v, ok := d.memo[name]; ok {
		return max(v, 0)
	}
	def := d.doc.Fragments.ForName(name)
	if def == nil {
		return 0
	}
	d.memo[name] = -1
	v := d.set(def.SelectionSet)
	d.memo[name] = v
	return v
}
