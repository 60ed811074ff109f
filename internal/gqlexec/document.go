package gqlexec

import (
	"runtime"
	"sync"
	"weak"

	"github.com/vektah/gqlparser/v2/ast"
)

// documentCache is what every operation on one query document shares: the
// parsed arguments of its fields whose arguments are literals, and, when
// no directive of the document reads a variable (fixedSelections), the
// fields collected from its selection sets. Both depend only on the
// document then: argument parsing reads no viewer, and @skip and @include
// with literal conditions decide the same for every operation.
type documentCache struct {
	byField         sync.Map
	collected       *documentFields
	fixedSelections bool
}

// documents maps a query document to its cache for as long as the
// document lives: the server's query cache gives every operation of the
// same text the same *ast.QueryDocument, and an entry goes when its
// document is collected (documentCacheOf), so a document parsed for one
// request leaves nothing behind. Written by hand: the cache must follow
// the lifetime of gqlgen's documents, which a size-bound LRU cannot see.
var documents sync.Map // weak.Pointer[ast.QueryDocument] → *documentCache

// documentCacheOf returns the cache of doc, made on first use. The cache
// holds the document's selections and fields, never the document itself,
// so it does not keep the document alive.
func documentCacheOf(doc *ast.QueryDocument) *documentCache {
	key := weak.Make(doc)
	if c, ok := documents.Load(key); ok {
		return c.(*documentCache)
	}
	c, loaded := documents.LoadOrStore(key, &documentCache{collected: newDocumentFields(doc), fixedSelections: !directivesReadVariables(doc)})
	if !loaded {
		runtime.AddCleanup(doc, func(key weak.Pointer[ast.QueryDocument]) { documents.Delete(key) }, key)
	}
	return c.(*documentCache)
}

// directivesReadVariables reports whether a directive of a selection in
// doc (an operation's or a fragment's) takes a variable: what the
// document's selections collect to then depends on the operation.
func directivesReadVariables(doc *ast.QueryDocument) bool {
	for _, op := range doc.Operations {
		if selectionsReadVariables(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if selectionsReadVariables(f.SelectionSet) {
			return true
		}
	}
	return false
}

// selectionsReadVariables is directivesReadVariables for a selection set
// and the sets below it.
func selectionsReadVariables(set ast.SelectionSet) bool {
	for _, sel := range set {
		var directives ast.DirectiveList
		var below ast.SelectionSet
		switch s := sel.(type) {
		case *ast.Field:
			directives, below = s.Directives, s.SelectionSet
		case *ast.InlineFragment:
			directives, below = s.Directives, s.SelectionSet
		case *ast.FragmentSpread:
			directives = s.Directives
		}
		for _, d := range directives {
			if readsVariables(d.Arguments) {
				return true
			}
		}
		if selectionsReadVariables(below) {
			return true
		}
	}
	return false
}

// readsVariables reports whether any of args is, or holds, a variable.
func readsVariables(args ast.ArgumentList) bool {
	for _, a := range args {
		if valueReadsVariable(a.Value) {
			return true
		}
	}
	return false
}

// valueReadsVariable reports whether v is, or holds, a variable.
func valueReadsVariable(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if valueReadsVariable(c.Value) {
			return true
		}
	}
	return false
}
