package events

import (
	"context"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/hook"
)

// Use adds the hooks of events to client (db.Open calls it): raising an
// event's capacity, or lifting it, moves people up from its waiting list
// in the same transaction, whichever path changes it. The hooks live here
// rather than in ent/schema so that the schema stays declarative.
func Use(client *ent.Client) {
	client.Event.Use(hook.On(fillOnCapacity, ent.OpUpdateOne))
}

// fillOnCapacity fills the waiting list after a change of capacity; the
// update itself holds the event's row lock (see the package doc).
func fillOnCapacity(next ent.Mutator) ent.Mutator {
	return hook.EventFunc(func(ctx context.Context, m *ent.EventMutation) (ent.Value, error) {
		_, changed := m.Capacity()
		id, hasID := m.ID()
		if !changed && !m.CapacityCleared() || !hasID {
			return next.Mutate(ctx, m)
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		return v, Fill(ctx, m.Client(), id)
	})
}
