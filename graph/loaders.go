package graph

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/analytics/health"
	"github.com/bridgesoftrust/hub/internal/organisations"
)

// loaders batch the per-item fields of a list that would otherwise cost
// statements per item: the health of a page of partnerships, the counts
// and sessions of a page of events are each read in one batch. They
// belong to one query operation, whose viewer does not change.
type loaders struct {
	byKey  sync.Map // batchKey → *batchLoader[V]
	groups sync.Map // *ast.Field → pageGroupOf, the fields read with it
}

// batchKey names a loader of an operation: a kind of value and, for
// values that depend on a field's arguments, the field (whose arguments
// are the same for every item of a list).
type batchKey struct {
	kind  string
	field *ast.Field
}

type loadersKey struct{}

// Loaders is the operation middleware that gives each query operation its
// own loaders. Mutations (whose viewer may change as they sign in) and
// subscriptions go without: their fields read one item at a time.
func Loaders() graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Query {
			ctx = context.WithValue(ctx, loadersKey{}, &loaders{})
		}
		return next(ctx)
	}
}

// batched returns the value of item id that load reads. In a query it
// reads the values of the whole list the item is part of (the nearest
// list whose ids idsOf finds) in one call, which the operation's loader
// of key keeps for the list's other items, so that a list costs the
// statements of one item; elsewhere it reads the one item. The list is
// looked for once, by its first item: the others find their value asked
// for already.
func batched[V any](ctx context.Context, key batchKey, id int, idsOf func(result any) []int,
	load func(ctx context.Context, ids []int) (map[int]V, error),
) (V, error) {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		values, err := load(ctx, []int{id})
		return values[id], err
	}
	found, ok := l.byKey.Load(key)
	if !ok {
		found, _ = l.byKey.LoadOrStore(key, &batchLoader[V]{reads: map[int]*batchRead[V]{}})
	}
	loader := found.(*batchLoader[V])
	if read := loader.readOf(id); read != nil {
		return read.value(id)
	}
	read, mine := loader.claim(id, listOf(ctx, id, idsOf))
	if mine {
		read.run(ctx, load)
	}
	return read.value(id)
}

// batchLoader is an operation's loader of one batchKey: the read that
// gives (or gave) the value of each item asked for. Written by hand rather
// than with a dataloader library: those gather the keys that arrive within
// a time window (a timer and a goroutine per batch, and the window's wait
// in every request's latency), where here the first item of a list names
// the whole batch at once (listOf) and reads it in place.
type batchLoader[V any] struct {
	mu    sync.Mutex
	reads map[int]*batchRead[V]
}

// batchRead is one read of a batch of items: done closes when values and
// err are set.
type batchRead[V any] struct {
	ids    []int
	done   chan struct{}
	values map[int]V
	err    error
}

// readOf returns the read that gives the value of id, or nil.
func (l *batchLoader[V]) readOf(id int) *batchRead[V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reads[id]
}

// claim returns the read that gives the value of id: a new one, of the
// items of ids (which hold id) that no other read gives yet, which the
// caller is to run (mine), or the one another caller claimed id in
// meanwhile.
func (l *batchLoader[V]) claim(id int, ids []int) (read *batchRead[V], mine bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if read := l.reads[id]; read != nil {
		return read, false
	}
	read = &batchRead[V]{done: make(chan struct{})}
	for _, item := range ids {
		if l.reads[item] == nil {
			l.reads[item] = read
			read.ids = append(read.ids, item)
		}
	}
	if l.reads[id] != read { // id was not among ids
		l.reads[id] = read
		read.ids = append(read.ids, id)
	}
	return read, true
}

// maxBatch bounds the items of one call of a batch's load: a longer batch
// is read in several.
const maxBatch = 500

// run reads the batch with load, maxBatch items a call, and hands its
// values to those waiting. A panic in load reaches its caller, and the
// others waiting get an error.
func (r *batchRead[V]) run(ctx context.Context, load func(ctx context.Context, ids []int) (map[int]V, error)) {
	defer func() {
		p := recover()
		if p != nil {
			r.values, r.err = nil, fmt.Errorf("reading a batch of %d items failed: %v", len(r.ids), p)
		}
		close(r.done)
		if p != nil {
			panic(p)
		}
	}()
	for chunk := range slices.Chunk(r.ids, maxBatch) {
		values, err := load(ctx, chunk)
		if err != nil {
			r.values, r.err = nil, err
			return
		}
		if r.values == nil {
			r.values = values
			continue
		}
		maps.Copy(r.values, values)
	}
}

// value waits for the read and returns the value of id.
func (r *batchRead[V]) value(id int) (V, error) {
	<-r.done
	if r.err != nil {
		var zero V
		return zero, r.err
	}
	return r.values[id], nil
}

// partnershipHealth returns the health of the partnership id, read for
// its whole list at once.
func partnershipHealth(ctx context.Context, client *ent.Client, id int) (*health.PartnershipHealth, error) {
	return batched(ctx, batchKey{kind: "partnership health"}, id, partnershipIDs,
		func(ctx context.Context, ids []int) (map[int]*health.PartnershipHealth, error) {
			return health.Batch(ctx, client, ids)
		})
}

// municipalityActors returns the actors of the municipality id, read for
// its whole list at once.
func municipalityActors(ctx context.Context, client *ent.Client, id int) ([]*organisations.Actor, error) {
	return batched(ctx, batchKey{kind: "actors of a municipality"}, id, municipalityIDs,
		func(ctx context.Context, ids []int) (map[int][]*organisations.Actor, error) {
			return organisations.ActorsOf(ctx, client, ids)
		})
}

// listOf returns the ids of the nearest list (a page of a connection, a
// list field) that the field of ctx is resolved under, as idsOf reads
// them from the list's result, when id is one of them, and of the lists
// at the same place under the other items of the lists above it
// (sameListsAbove); else id alone.
func listOf(ctx context.Context, id int, idsOf func(result any) []int) []int {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		ids := idsOf(fc.Result)
		if ids == nil {
			continue
		}
		if !slices.Contains(ids, id) {
			break
		}
		if all := sameListsAbove(fc, idsOf); slices.Contains(all, id) {
			slices.Sort(all) // an item may stand in several lists
			return slices.Compact(all)
		}
		return ids
	}
	return []int{id}
}

// partnershipIDs returns the ids of a list of partnerships (nil for any
// other result).
func partnershipIDs(result any) []int {
	switch list := result.(type) {
	case []*ent.PartnershipEdge:
		return idsOf(list, func(e *ent.PartnershipEdge) int { return e.Node.ID })
	case []*ent.Partnership:
		return idsOf(list, func(p *ent.Partnership) int { return p.ID })
	}
	return nil
}

// municipalityIDs returns the ids of a list of municipalities (nil for
// any other result).
func municipalityIDs(result any) []int {
	switch list := result.(type) {
	case []*ent.MunicipalityEdge:
		return idsOf(list, func(e *ent.MunicipalityEdge) int { return e.Node.ID })
	case []*ent.Municipality:
		return idsOf(list, func(m *ent.Municipality) int { return m.ID })
	}
	return carriedMunicipalityIDs(result)
}

// carriedMunicipalityIDs returns the ids of a list of items that each
// carry a municipality in a field named Municipality (a municipality with
// its degree, a match suggestion, an overlap of initiatives...), or nil.
// It looks by reflection so that a new type of the kind needs no case here.
func carriedMunicipalityIDs(result any) []int {
	list := reflect.ValueOf(result)
	if list.Kind() != reflect.Slice || list.Len() == 0 {
		return nil
	}
	item := list.Type().Elem()
	if item.Kind() == reflect.Pointer {
		item = item.Elem()
	}
	if item.Kind() != reflect.Struct {
		return nil
	}
	field, ok := item.FieldByName("Municipality")
	if !ok || field.Type != reflect.TypeFor[*ent.Municipality]() {
		return nil
	}
	ids := make([]int, 0, list.Len())
	for i := range list.Len() {
		v := reflect.Indirect(list.Index(i))
		if !v.IsValid() {
			continue
		}
		if m, _ := v.FieldByIndex(field.Index).Interface().(*ent.Municipality); m != nil {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// idsOf returns the id of each item of list (an empty, non-nil slice for
// an empty list).
func idsOf[T any](list []T, id func(T) int) []int {
	ids := make([]int, len(list))
	for i, item := range list {
		ids[i] = id(item)
	}
	return ids
}
