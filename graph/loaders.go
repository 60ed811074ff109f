package graph

import (
	"context"
	"slices"
	"sync"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/analytics/health"
)

// loaders batch the per-item fields of a list that would otherwise cost
// statements per item: the health of a page of partnerships is read in one
// batch. They belong to one query operation, whose viewer does not change.
type loaders struct {
	health *dataloadgen.Loader[int, *health.PartnershipHealth]
	// partnershipPages holds, per Municipality.partnerships field of the
	// operation (whose arguments are the same for every municipality),
	// the loader of its pages.
	partnershipPages sync.Map // *ast.Field → *dataloadgen.Loader[int, *ent.PartnershipConnection]
}

type loadersKey struct{}

// batchWait is how long a loader waits for the other items of a list
// before it reads their batch; maxBatch bounds one batch.
const (
	batchWait = 2 * time.Millisecond
	maxBatch  = 500
)

// Loaders is the operation middleware that gives each query operation its
// own loaders. Mutations (whose viewer may change as they sign in) and
// subscriptions go without: their fields read one item at a time.
func Loaders(client *ent.Client) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Query {
			ctx = context.WithValue(ctx, loadersKey{}, &loaders{
				health: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int) (map[int]*health.PartnershipHealth, error) {
					return health.Batch(ctx, client, ids)
				}, dataloadgen.WithWait(batchWait), dataloadgen.WithBatchCapacity(maxBatch)),
			})
		}
		return next(ctx)
	}
}

// partnershipHealth returns the health of the partnership id. In a query
// it reads the health of the whole list the partnership is an item of in
// one batch (the loader keeps it for the list's other items), so that a
// page costs the same statements as one partnership.
func partnershipHealth(ctx context.Context, client *ent.Client, id int) (*health.PartnershipHealth, error) {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		return health.Of(ctx, client, id)
	}
	ids := listOf(ctx, id, partnershipIDs)
	all, err := l.health.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	return all[slices.Index(ids, id)], nil
}

// partnershipsOfMunicipality returns the page (after, first, before,
// last, opts) of the partnerships of the municipality id on either side.
// In a query it reads the pages of the whole list the municipality is an
// item of in one batch, so that a list costs the statements of one page.
func partnershipsOfMunicipality(ctx context.Context, client *ent.Client, id int,
	after *entgql.Cursor[int], first *int, before *entgql.Cursor[int], last *int, opts ...ent.PartnershipPaginateOption,
) (*ent.PartnershipConnection, error) {
	load := func(ctx context.Context, ids []int) (map[int]*ent.PartnershipConnection, error) {
		return client.Partnership.PagesOfMunicipalities(ctx, ids, after, first, before, last, opts...)
	}
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		pages, err := load(ctx, []int{id})
		return pages[id], err
	}
	loader, _ := l.partnershipPages.LoadOrStore(graphql.GetFieldContext(ctx).Field.Field,
		dataloadgen.NewMappedLoader(load, dataloadgen.WithWait(batchWait), dataloadgen.WithBatchCapacity(maxBatch)))
	ids := listOf(ctx, id, municipalityIDs)
	all, err := loader.(*dataloadgen.Loader[int, *ent.PartnershipConnection]).LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	return all[slices.Index(ids, id)], nil
}

// listOf returns the ids of the nearest list (a page of a connection, a
// list field) that the field of ctx is resolved under, as idsOf reads
// them from the list's result, when id is one of them; else id alone.
func listOf(ctx context.Context, id int, idsOf func(result any) []int) []int {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		ids := idsOf(fc.Result)
		if ids == nil {
			continue
		}
		if slices.Contains(ids, id) {
			return ids
		}
		break
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
	return nil
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
