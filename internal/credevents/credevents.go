// Package credevents announces that a user's credentials changed, so that
// long-lived connections (websockets) authenticated with them check them
// again (see internal/credwatch).
//
// Register adds Ent hooks to a client that publish, once the change
// commits, an event on Topic with payload {"user":<id>} for each user whose
// sessions were deleted (logout, password changes, an account disabled),
// whose password, disabled flag or global role changed, whose memberships
// were created, changed or deleted, or whose API keys were revoked, had
// their expiry or scopes changed, or were deleted. Events go through the
// PubSub that the context carries (live.WithPubSub): the server's, or the
// one the command line opens; without one nothing is published.
//
// The hooks live here rather than in ent/schema so that the schema stays
// declarative; db.Open registers them on every client.
package credevents

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/apikey"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/session"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/live"
)

// Topic is the event topic of credential changes.
const Topic = "credentials"

// Payload is the payload of an event on Topic.
type Payload struct {
	// User is the id of the user whose credentials changed.
	User int `json:"user"`
}

// Publish announces, once the transaction in ctx commits (at once without
// one), that the credentials of the user changed.
func Publish(ctx context.Context, userID int) error {
	return live.Publish(ctx, Topic, Payload{User: userID})
}

// Decode returns the user id of an event's payload.
func Decode(payload []byte) (int, error) {
	var p Payload
	if err := json.Unmarshal(payload, &p); err != nil || p.User == 0 {
		return 0, fmt.Errorf("credevents: payload %q: want {\"user\":<id>}", payload)
	}
	return p.User, nil
}

// Register adds to client the hooks that publish credential changes.
func Register(client *ent.Client) {
	updates, deletes := ent.OpUpdate|ent.OpUpdateOne, ent.OpDelete|ent.OpDeleteOne
	client.Session.Use(watch(deletes, nil, func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.Session.Query().Where(session.IDIn(ids...)).Select(session.FieldUserID).Ints(ctx)
	}))
	client.User.Use(watch(updates|deletes, []string{user.FieldPasswordHash, user.FieldDisabled, user.FieldRole},
		func(_ context.Context, _ *ent.Client, ids []int) ([]int, error) { return ids, nil }))
	client.Membership.Use(watch(ent.OpCreate|updates|deletes, nil, func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.Membership.Query().Where(membership.IDIn(ids...)).Select(membership.FieldUserID).Ints(ctx)
	}))
	client.APIKey.Use(watch(updates|deletes, []string{apikey.FieldRevokedAt, apikey.FieldExpiresAt, apikey.FieldScopes},
		func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.APIKey.Query().Where(apikey.IDIn(ids...)).Select(apikey.FieldUserID).Ints(ctx)
		}))
}

// usersOf returns the users of the rows with ids.
type usersOf func(ctx context.Context, c *ent.Client, ids []int) ([]int, error)

// rowsMutation is what every generated mutation has: the ids of the rows
// an update or delete changes, its client and its transaction.
type rowsMutation interface {
	ent.Mutation
	IDs(ctx context.Context) ([]int, error)
	Client() *ent.Client
	Tx() (*ent.Tx, error)
}

// watch returns a hook that, for mutations of ops that set or clear one of
// fields (any change if fields is nil), publishes an event for every user
// of the rows changed: those of the rows before the change (usersOf), and
// the user a create or update sets (the user_id field).
func watch(ops ent.Op, fields []string, users usersOf) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			rm, ok := m.(rowsMutation)
			if !ok || !m.Op().Is(ops) || !touches(m, fields) {
				return next.Mutate(ctx, m)
			}
			before, err := usersBefore(ctx, rm, users)
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if id, ok := m.Field("user_id"); ok {
				if uid, ok := id.(int); ok {
					before = append(before, uid)
				}
			}
			return v, publishAll(ctx, rm, before)
		})
	}
}

// touches reports whether a create or delete, or an update that sets or
// clears one of fields (any if nil).
func touches(m ent.Mutation, fields []string) bool {
	if fields == nil || !m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) {
		return true
	}
	return slices.ContainsFunc(slices.Concat(m.Fields(), m.ClearedFields()), func(f string) bool {
		return slices.Contains(fields, f)
	})
}

// usersBefore returns the users of the rows an update or delete changes,
// as they are before it (none for a create). It reads as the system: the
// mutation's own privacy policy still decides whether it runs.
func usersBefore(ctx context.Context, m rowsMutation, users usersOf) ([]int, error) {
	if m.Op().Is(ent.OpCreate) {
		return nil, nil
	}
	ctx = authz.SystemContext(ctx)
	ids, err := m.IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return users(ctx, m.Client(), ids)
}

// publishAll publishes an event for each distinct user once the
// mutation's transaction commits.
func publishAll(ctx context.Context, m rowsMutation, users []int) error {
	if tx, err := m.Tx(); err == nil {
		ctx = ent.NewTxContext(ctx, tx)
	}
	slices.Sort(users)
	for _, id := range slices.Compact(users) {
		if err := Publish(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
