// Package audit records every successful change to the Hub's data in the
// audit log: who made it, to which entity and record, which operation and
// which fields, in the change's own transaction.
package audit

import (
	"context"
	"slices"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/auditlog"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

type skipKey struct{}

// WithoutAudit returns ctx in which changes are not recorded: for the Hub's
// own bookkeeping (an API key's last use) and for bulk generation of
// synthetic benchmark data, never for a change someone asked for.
func WithoutAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, skipKey{}, true)
}

// Bookkeeping returns the context for the Hub's own follow-up writes of a
// change (counters, notifications, versions): allowed by every policy and
// kept out of the audit log, the change itself being recorded there.
func Bookkeeping(ctx context.Context) context.Context {
	return WithoutAudit(authz.SystemContext(ctx))
}

type labelerKey struct{}

// Labeler names the origin of a change made without a signed-in user, e.g.
// "hub import partnerships file.csv line 12"; "" leaves SystemActor.
type Labeler func(ent.Mutation) string

// WithLabeler returns ctx in which changes made without a signed-in user
// are recorded with the label f gives their mutation, so that a command
// can say which file and line each change came from.
func WithLabeler(ctx context.Context, f Labeler) context.Context {
	return context.WithValue(ctx, labelerKey{}, f)
}

// SystemActor labels changes made by the Hub itself (seed, import, command
// line) rather than by a signed-in user.
const SystemActor = "system"

// Hook records successful creates, updates and deletes of the entity it is
// attached to.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if skip, _ := ctx.Value(skipKey{}).(bool); skip {
				return next.Mutate(ctx, m)
			}
			ids, err := targetIDs(ctx, m)
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if m.Op().Is(ent.OpCreate) {
				ids = singleID(m)
			}
			return v, record(ctx, m, ids)
		})
	}
}

// targetIDs returns the ids an update or delete will touch, read before the
// change (a delete leaves nothing to read afterwards).
func targetIDs(ctx context.Context, m ent.Mutation) ([]int, error) {
	if m.Op().Is(ent.OpCreate) {
		return nil, nil
	}
	if ids := singleID(m); ids != nil {
		return ids, nil
	}
	many, ok := m.(interface {
		IDs(context.Context) ([]int, error)
	})
	if !ok {
		return nil, nil
	}
	return many.IDs(ctx)
}

// singleID returns the id of a one-record mutation (UpdateOne, DeleteOne,
// or a create once Ent has assigned it), or nil.
func singleID(m ent.Mutation) []int {
	if one, ok := m.(interface{ ID() (int, bool) }); ok {
		if id, exists := one.ID(); exists {
			return []int{id}
		}
	}
	return nil
}

// record writes one audit entry per touched record.
func record(ctx context.Context, m ent.Mutation, ids []int) error {
	client, ok := m.(interface{ Client() *gen.Client })
	if !ok || len(ids) == 0 {
		return nil
	}
	actorID, label := actor(ctx, m)
	fields := changedFields(m)
	op := operation(m.Op())
	builders := make([]*gen.AuditLogCreate, len(ids))
	for i, id := range ids {
		builders[i] = client.Client().AuditLog.Create().SetNillableActorID(actorID).SetActorLabel(label).
			SetEntity(m.Type()).SetEntityID(id).SetOperation(op).SetChangedFields(fields)
	}
	return client.Client().AuditLog.CreateBulk(builders...).Exec(authz.SystemContext(ctx))
}

func actor(ctx context.Context, m ent.Mutation) (*int, string) {
	v := viewer.FromContext(ctx)
	if v == nil {
		if f, ok := ctx.Value(labelerKey{}).(Labeler); ok {
			if label := f(m); label != "" {
				return nil, label
			}
		}
		return nil, SystemActor
	}
	return &v.UserID, v.DisplayName
}

func operation(op ent.Op) auditlog.Operation {
	switch {
	case op.Is(ent.OpCreate):
		return auditlog.OperationCREATE
	case op.Is(ent.OpDelete | ent.OpDeleteOne):
		return auditlog.OperationDELETE
	default:
		return auditlog.OperationUPDATE
	}
}

// changedFields lists the fields and edges the mutation sets or clears,
// without the bookkeeping timestamp.
func changedFields(m ent.Mutation) []string {
	names := slices.Concat(m.Fields(), m.ClearedFields(), m.AddedEdges(), m.RemovedEdges(), m.ClearedEdges())
	names = slices.DeleteFunc(names, func(n string) bool { return n == "updated_at" })
	slices.Sort(names)
	return slices.Compact(names)
}
