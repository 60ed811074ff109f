package gqlexec

import (
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// CollectFields returns graphql.CollectFields(opCtx, set, satisfies), kept
// by the operation's OperationCache (for its query document when no
// directive reads a variable). gqlgen caches the result too, but per
// operation, and builds the key of each lookup with an FNV hasher and
// byte copies of the type names: a few allocations for every object
// marshalled, a twentieth of the Hub's on a page of hundreds of nodes.
// Both the generated executor and Ent's collection code (ent/entc.go
// points it here) collect through it.
func CollectFields(opCtx *graphql.OperationContext, set ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	cache, _ := opCtx.Stats.GetExtension(operationCacheKey).(*operationCache)
	if cache == nil || len(satisfies) > maxKeyedTypes {
		return graphql.CollectFields(opCtx, set, satisfies)
	}
	key := collectedKey{length: len(set)}
	if len(set) > 0 {
		key.set = &set[0]
	}
	copy(key.satisfies[:], satisfies)
	if doc := cache.doc; doc != nil && doc.fixedSelections {
		if fields, ok := doc.collected.get(key); ok {
			return fields
		}
		if doc.collected.ownsSet(key.set) {
			fields := graphql.CollectFields(opCtx, set, satisfies)
			doc.collected.keep(key, fields)
			return fields
		}
	}
	if fields, ok := cache.collected.get(key); ok {
		return fields
	}
	fields := graphql.CollectFields(opCtx, set, satisfies)
	cache.collected.put(key, fields)
	return fields
}

// maxKeyedTypes is the longest list of implemented types that
// CollectFields keeps answers for: the executor's lists name at most
// three, the collection code's a type and its interfaces.
const maxKeyedTypes = 4

// collectedKey names a selection set of the document (where its
// selections start, and how many) and a list of implemented types, by
// their names: the collection code builds its lists anew for each call.
type collectedKey struct {
	set       *ast.Selection
	length    int
	satisfies [maxKeyedTypes]string
}

// collectedFields maps the selection sets of one operation to their
// collected fields.
type collectedFields struct {
	mu     sync.RWMutex
	fields map[collectedKey][]graphql.CollectedField
}

// get returns the fields collected for key, if any.
func (c *collectedFields) get(key collectedKey) ([]graphql.CollectedField, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	fields, ok := c.fields[key]
	return fields, ok
}

// put keeps the fields collected for key.
func (c *collectedFields) put(key collectedKey, fields []graphql.CollectedField) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fields == nil {
		c.fields = make(map[collectedKey][]graphql.CollectedField)
	}
	c.fields[key] = fields
}

// documentFields are the fields collected from the selection sets of one
// query document, for every operation on it. A selection set is kept
// only when it belongs to the document (owned): an operation's or a
// fragment's own, or the merged selections of a field in fields collected
// for the document. The selections of a field collected anew (gqlgen
// merges them into a new slice each time) would otherwise add an entry
// per request for as long as the document lives; they are kept per
// operation.
type documentFields struct {
	collectedFields
	owned map[*ast.Selection]struct{}
}

// newDocumentFields returns the collected fields of doc, owning its
// operations' and fragments' selection sets.
func newDocumentFields(doc *ast.QueryDocument) *documentFields {
	d := &documentFields{collectedFields: collectedFields{fields: map[collectedKey][]graphql.CollectedField{}}, owned: map[*ast.Selection]struct{}{}}
	for _, op := range doc.Operations {
		d.own(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		d.own(f.SelectionSet)
	}
	return d
}

// own marks set as the document's. d.mu is held, or d is not shared yet.
func (d *documentFields) own(set ast.SelectionSet) {
	if len(set) > 0 {
		d.owned[&set[0]] = struct{}{}
	}
}

// ownsSet reports whether the selection set starting at first (nil for
// an empty one) belongs to the document.
func (d *documentFields) ownsSet(first *ast.Selection) bool {
	if first == nil {
		return true
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	_, ok := d.owned[first]
	return ok
}

// keep keeps the fields collected for key, and owns their selections.
func (d *documentFields) keep(key collectedKey, fields []graphql.CollectedField) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fields[key] = fields
	for _, f := range fields {
		d.own(f.Selections)
	}
}
