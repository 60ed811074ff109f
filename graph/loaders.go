package graph

import (
	"context"
	"slices"
	"time"

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
	ids := listOf(ctx, id)
	all, err := l.health.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	return all[slices.Index(ids, id)], nil
}

// listOf returns the ids of the partnerships of the nearest list (a page
// of a connection, a list field) that the field of ctx is resolved under,
// when the partnership id is one of them; else id alone.
func listOf(ctx context.Context, id int) []int {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		var ids []int
		switch list := fc.Result.(type) {
		case []*ent.PartnershipEdge:
			for _, e := range list {
				ids = append(ids, e.Node.ID)
			}
		case []*ent.Partnership:
			for _, p := range list {
				ids = append(ids, p.ID)
			}
		default:
			continue
		}
		if slices.Contains(ids, id) {
			return ids
		}
		break
	}
	return []int{id}
}
