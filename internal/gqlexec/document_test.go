package gqlexec

import (
	"context"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// operationOn returns the context of a new operation on doc with vars,
// with its OperationCache.
func operationOn(t *testing.T, doc *ast.QueryDocument, vars map[string]any) (context.Context, *graphql.OperationContext) {
	t.Helper()
	opCtx := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: vars}
	if err := (OperationCache{}).MutateOperationContext(context.Background(), opCtx); err != nil {
		t.Fatal(err)
	}
	return graphql.WithOperationContext(context.Background(), opCtx), opCtx
}

// parseQuery parses a query document.
func parseQuery(t *testing.T, query string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestOperationsOfADocumentShareWhatVariablesDoNotChange checks that two
// operations on the same document parse a field's literal arguments once
// between them, while arguments that read a variable are parsed per
// operation, each with its own variables.
func TestOperationsOfADocumentShareWhatVariablesDoNotChange(t *testing.T) {
	doc := parseQuery(t, `query($n: Int) { towns(first: 5) { name } pages(first: $n) { name } }`)
	literal := graphql.CollectedField{Field: doc.Operations[0].SelectionSet[0].(*ast.Field)}
	variable := graphql.CollectedField{Field: doc.Operations[0].SelectionSet[1].(*ast.Field)}
	takesFirst := &ast.FieldDefinition{Arguments: ast.ArgumentDefinitionList{{Name: "first", Type: ast.NamedType("Int", nil)}}}
	literal.Definition, variable.Definition = takesFirst, takesFirst
	parses := 0
	parse := func(_ context.Context, raw map[string]any) (map[string]any, error) {
		parses++
		return map[string]any{"first": raw["first"]}, nil
	}
	for _, n := range []int64{3, 7} {
		ctx, opCtx := operationOn(t, doc, map[string]any{"n": n})
		if args, err := Args(ctx, opCtx, literal, opCtx.Variables, parse); err != nil || args["first"] != int64(5) {
			t.Fatalf("literal arguments %v (error %v), want first 5", args, err)
		}
		args, err := Args(ctx, opCtx, variable, opCtx.Variables, parse)
		if err != nil || args["first"] != n {
			t.Fatalf("arguments from $n = %d read %v (error %v): kept from another operation?", n, args, err)
		}
	}
	if parses != 3 {
		t.Errorf("%d parses, want 3 (the literal arguments once, those of $n once per operation)", parses)
	}
}

// TestCollectedFieldsFollowTheDocumentsDirectives checks that fields
// collected for one operation serve the next on the same document when no
// directive reads a variable, down the document's selections, and that
// @include(if: $v) is collected per operation, each with its own value.
func TestCollectedFieldsFollowTheDocumentsDirectives(t *testing.T) {
	town := []string{"Municipality"}
	fixed := parseQuery(t, `{ node { id name @include(if: true) } }`)
	var nodes [][]graphql.CollectedField
	for range 2 {
		_, opCtx := operationOn(t, fixed, nil)
		root := CollectFields(opCtx, fixed.Operations[0].SelectionSet, []string{"Query"})
		nodes = append(nodes, CollectFields(opCtx, root[0].Selections, town))
	}
	a, b := nodes[0], nodes[1]
	if len(a) != 2 || len(b) != 2 || &a[0] != &b[0] {
		t.Errorf("literal directives: %d and %d fields, want 2 each, collected once for both operations", len(a), len(b))
	}

	chosen := parseQuery(t, `query($v: Boolean!) { node { id name @include(if: $v) } }`)
	for _, v := range []bool{true, false, true} {
		_, opCtx := operationOn(t, chosen, map[string]any{"v": v})
		root := CollectFields(opCtx, chosen.Operations[0].SelectionSet, []string{"Query"})
		want := 1
		if v {
			want = 2
		}
		if got := CollectFields(opCtx, root[0].Selections, town); len(got) != want {
			t.Errorf("@include(if: $v) with $v = %v: %d fields, want %d", v, len(got), want)
		}
	}
}

// TestSelectionsCollectedAnewAreKeptPerOperation checks that a selection
// set the document does not own (a field's selections that gqlgen merged
// into a new slice) is collected for its operation only: kept for the
// document, it would add an entry per request.
func TestSelectionsCollectedAnewAreKeptPerOperation(t *testing.T) {
	doc := parseQuery(t, `{ node { id } }`)
	for range 3 {
		_, opCtx := operationOn(t, doc, nil)
		for _, f := range graphql.CollectFields(opCtx, doc.Operations[0].SelectionSet, nil) { // gqlgen's: new slices
			if got := CollectFields(opCtx, f.Selections, nil); len(got) != 1 {
				t.Fatalf("collected %d fields, want 1", len(got))
			}
		}
	}
	c := documentCacheOf(doc)
	if n := c.collected.named.Len(); n != 0 {
		t.Errorf("the document keeps %d collections of selections it does not own, want 0", n)
	}
}

// TestDocumentCacheGoesWithItsDocument checks that a document's cache is
// forgotten once nothing holds the document any more, so that documents
// parsed for one request (too long for the query cache) leave nothing.
func TestDocumentCacheGoesWithItsDocument(t *testing.T) {
	key := cachedDocument(t)
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		if _, ok := documents.Load(key); !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache of a collected document is still kept")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// cachedDocument runs an operation on a new document, checks that the
// document has a cache, and returns the document's key, keeping no
// reference to it.
func cachedDocument(t *testing.T) weak.Pointer[ast.QueryDocument] {
	doc := parseQuery(t, `{ node { id } }`)
	_, opCtx := operationOn(t, doc, nil)
	CollectFields(opCtx, doc.Operations[0].SelectionSet, nil)
	key := weak.Make(doc)
	if _, ok := documents.Load(key); !ok {
		t.Fatal("no cache for the document")
	}
	return key
}
