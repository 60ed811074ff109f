package gqlexec

import (
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// CollectFields returns graphql.CollectFields(opCtx, set, satisfies), kept
// per operation by its OperationCache. gqlgen caches the result too, but
// builds the key of each lookup with an FNV hasher and byte copies of the
// type names: a few allocations for every object marshalled, a twentieth
// of the Hub's on a page of hundreds of nodes. The generated executor
// passes its package-level lists of implemented types as satisfies, so
// the list's address names it.
func CollectFields(opCtx *graphql.OperationContext, set ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	cache, _ := opCtx.Stats.GetExtension(operationCacheKey).(*operationCache)
	if cache == nil {
		return graphql.CollectFields(opCtx, set, satisfies)
	}
	key := collectedKey{length: len(set)}
	if len(set) > 0 {
		key.set = &set[0]
	}
	if len(satisfies) > 0 {
		key.satisfies = &satisfies[0]
	}
	if fields, ok := cache.collected.get(key); ok {
		return fields
	}
	fields := graphql.CollectFields(opCtx, set, satisfies)
	cache.collected.put(key, fields)
	return fields
}

// collectedKey names a selection set of the document (where its
// selections start, and how many) and a list of implemented types.
type collectedKey struct {
	set       *ast.Selection
	length    int
	satisfies *string
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
