package gqlexec

import (
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bridgesoftrust/hub/internal/readmostly"
)

// CollectFields returns graphql.CollectFields(opCtx, set, satisfies), kept
// by the operation's OperationCache (for its query document when no
// directive reads a variable). gqlgen caches the result too, but per
// operation, and builds the key of each lookup with an FNV hasher and
// byte copies of the type names: a few allocations for every object
// marshalled, a twentieth of the Hub's on a page of hundreds of nodes.
// The answer is keyed by the names in satisfies, so any list will do:
// Ent's collection code (ent/entc.go points it here) builds its lists anew
// for each call. The generated executor, whose lists are fixed, calls
// CollectImplementorFields.
func CollectFields(opCtx *graphql.OperationContext, set ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	if len(satisfies) > maxKeyedTypes {
		return graphql.CollectFields(opCtx, set, satisfies)
	}
	key := namedKey{set: setKeyOf(set)}
	copy(key.satisfies[:], satisfies)
	return collect(opCtx, set, satisfies, key)
}

// CollectImplementorFields is CollectFields for the generated executor:
// implementors is one of its lists of the types an object implements
// (package variables, never changed), so the answer is keyed by the list's
// address rather than by hashing its names, once per object marshalled.
// A list made for the call would add an entry per call: use CollectFields.
func CollectImplementorFields(opCtx *graphql.OperationContext, set ast.SelectionSet, implementors []string) []graphql.CollectedField {
	key := implementorKey{set: setKeyOf(set), length: len(implementors)}
	if len(implementors) > 0 {
		key.implementors = &implementors[0]
	}
	return collect(opCtx, set, implementors, key)
}

// collect is CollectFields and CollectImplementorFields, whose keys name
// the list of types in their own ways.
func collect[K fieldsKey[K]](opCtx *graphql.OperationContext, set ast.SelectionSet, satisfies []string, key K) []graphql.CollectedField {
	cache := cacheOf(opCtx)
	if cache == nil {
		return graphql.CollectFields(opCtx, set, satisfies)
	}
	if doc := cache.doc; doc != nil && doc.fixedSelections {
		kept := key.inDocument(&doc.collected.keptByKind)
		if fields, ok := kept.Load(key); ok {
			return fields
		}
		if doc.collected.ownsSet(key.first()) {
			fields := graphql.CollectFields(opCtx, set, satisfies)
			doc.collected.own(fields)
			kept.Store(key, fields)
			return fields
		}
	}
	kept := key.inOperation(&cache.collected)
	if fields, ok := kept.Load(key); ok {
		return fields
	}
	fields := graphql.CollectFields(opCtx, set, satisfies)
	kept.Store(key, fields)
	return fields
}

// maxKeyedTypes is the longest list of implemented types that
// CollectFields keeps answers for: the collection code's lists name a
// type and its interfaces.
const maxKeyedTypes = 4

// setKey names a selection set of the document: where its selections
// start, and how many.
type setKey struct {
	first  *ast.Selection
	length int
}

// setKeyOf returns the key of set.
func setKeyOf(set ast.SelectionSet) setKey {
	if len(set) == 0 {
		return setKey{}
	}
	return setKey{first: &set[0], length: len(set)}
}

// namedKey names a selection set and a list of types by their names.
type namedKey struct {
	set       setKey
	satisfies [maxKeyedTypes]string
}

// implementorKey names a selection set and one of the executor's lists of
// implemented types by its address.
type implementorKey struct {
	set          setKey
	implementors *string
	length       int
}

// fieldsKey is a key of collected fields: it names where its selection
// set starts, and which maps keep keys like it.
type fieldsKey[K comparable] interface {
	comparable
	first() *ast.Selection
	inDocument(*keptByKind) *readmostly.Map[K, []graphql.CollectedField]
	inOperation(*operationFields) *lockedFields[K]
}

func (k namedKey) first() *ast.Selection                                { return k.set.first }
func (k implementorKey) first() *ast.Selection                          { return k.set.first }
func (namedKey) inOperation(c *operationFields) *lockedFields[namedKey] { return &c.named }
func (implementorKey) inOperation(c *operationFields) *lockedFields[implementorKey] {
	return &c.implementors
}
func (namedKey) inDocument(c *keptByKind) *readmostly.Map[namedKey, []graphql.CollectedField] {
	return &c.named
}
func (implementorKey) inDocument(c *keptByKind) *readmostly.Map[implementorKey, []graphql.CollectedField] {
	return &c.implementors
}

// keptByKind maps the selection sets of one document to their collected
// fields, by either kind of key. Every request on the document reads them
// once per object marshalled, and entries are added only while its first
// requests run: the maps are read-mostly.
type keptByKind struct {
	named        readmostly.Map[namedKey, []graphql.CollectedField]
	implementors readmostly.Map[implementorKey, []graphql.CollectedField]
}

// operationFields maps the selection sets of one operation to their
// collected fields. Only that operation's root fields share them, and a
// document whose directives read variables adds an entry per selection set
// on every request, so they are plain maps under a lock (a read-mostly map
// would copy itself for each entry).
type operationFields struct {
	named        lockedFields[namedKey]
	implementors lockedFields[implementorKey]
}

// lockedFields is a map of collected fields under a lock.
type lockedFields[K comparable] struct {
	mu     sync.RWMutex
	fields map[K][]graphql.CollectedField
}

// Load returns the fields kept for key, if any.
func (l *lockedFields[K]) Load(key K) ([]graphql.CollectedField, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	fields, ok := l.fields[key]
	return fields, ok
}

// Store keeps fields for key.
func (l *lockedFields[K]) Store(key K, fields []graphql.CollectedField) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fields == nil {
		l.fields = map[K][]graphql.CollectedField{}
	}
	l.fields[key] = fields
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
	keptByKind
	mu    sync.RWMutex
	owned map[*ast.Selection]struct{}
}

// newDocumentFields returns the collected fields of doc, owning its
// operations' and fragments' selection sets.
func newDocumentFields(doc *ast.QueryDocument) *documentFields {
	d := &documentFields{owned: map[*ast.Selection]struct{}{}}
	for _, op := range doc.Operations {
		d.ownSet(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		d.ownSet(f.SelectionSet)
	}
	return d
}

// ownSet marks set as the document's. d.mu is held, or d is not shared
// yet.
func (d *documentFields) ownSet(set ast.SelectionSet) {
	if len(set) > 0 {
		d.owned[&set[0]] = struct{}{}
	}
}

// own marks the selections of fields, collected for the document, as the
// document's.
func (d *documentFields) own(fields []graphql.CollectedField) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, f := range fields {
		d.ownSet(f.Selections)
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
