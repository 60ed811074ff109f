package auth

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/loginfailure"
	"github.com/bridgesoftrust/hub/internal/authz"
)

// throttleLockClass is the first key of the PostgreSQL advisory locks
// that serialise the attempts on one throttle key (the second is the
// key's hash). The two-key locks do not collide with the one-key lock of
// migrations.
const throttleLockClass = 0x4875_6201 // "Hub" 1

// storeCounter counts failed sign-ins in the store's login_failures table
// (ent LoginFailure), one row per attempt and key, so that every replica
// on one PostgreSQL database counts the same failures. An attempt locks
// its keys for the length of a short transaction (pg_advisory_xact_lock)
// while it counts and records, so that concurrent attempts on any replica
// cannot get past a limit together; no lock is held while the password is
// checked. Rows older than the window are deleted (see sweep).
type storeCounter struct {
	client *ent.Client
	window time.Duration
	now    func() time.Time
	// swept is when this process last deleted expired rows (Unix ns).
	swept atomic.Int64
}

func newStoreCounter(client *ent.Client, window time.Duration) *storeCounter {
	return &storeCounter{client: client, window: window, now: time.Now}
}

func (c *storeCounter) begin(ctx context.Context, limits ...limit) (a attempt, retryAt time.Time, err error) {
	ctx = authz.SystemContext(ctx)
	c.sweep(ctx)
	keys := make([]string, len(limits))
	for i, l := range limits {
		keys[i] = l.key
	}
	err = withTx(ctx, c.client, func(tx *ent.Tx) error {
		if err := lockKeys(ctx, tx, keys); err != nil {
			return err
		}
		now := c.now()
		failures, err := c.failures(ctx, tx, keys, now)
		if err != nil {
			return err
		}
		if retryAt = retryTime(c.window, func(key string) []time.Time { return failures[key] }, limits); !retryAt.IsZero() {
			return nil
		}
		a = attempt{id: rand.Int64(), at: now}
		return c.record(ctx, tx, a, keys)
	})
	if err != nil {
		return attempt{}, time.Time{}, fmt.Errorf("counting failed sign-ins: %w", err)
	}
	return a, retryAt, nil
}

// lockKeys takes the advisory locks of keys until tx ends, in a fixed
// order so that two attempts never wait for each other's locks.
func lockKeys(ctx context.Context, tx *ent.Tx, keys []string) error {
	sorted := slices.Sorted(slices.Values(keys))
	for _, key := range slices.Compact(sorted) {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", throttleLockClass, key); err != nil {
			return err
		}
	}
	return nil
}

// failures returns the failures of keys inside the window ending now,
// oldest first, by key.
func (c *storeCounter) failures(ctx context.Context, tx *ent.Tx, keys []string, now time.Time) (map[string][]time.Time, error) {
	rows, err := tx.LoginFailure.Query().
		Where(loginfailure.KeyIn(keys...), loginfailure.AtGT(now.Add(-c.window))).
		Order(loginfailure.ByAt()).All(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[string][]time.Time{}
	for _, r := range rows {
		byKey[r.Key] = append(byKey[r.Key], r.At)
	}
	return byKey, nil
}

// record stores attempt a as a failure of each key.
func (c *storeCounter) record(ctx context.Context, tx *ent.Tx, a attempt, keys []string) error {
	rows := make([]*ent.LoginFailureCreate, len(keys))
	for i, key := range keys {
		rows[i] = tx.LoginFailure.Create().SetKey(key).SetAttempt(a.id).SetAt(a.at)
	}
	return tx.LoginFailure.CreateBulk(rows...).Exec(ctx)
}

func (c *storeCounter) undo(ctx context.Context, a attempt, keys ...string) error {
	_, err := c.client.LoginFailure.Delete().
		Where(loginfailure.Attempt(a.id), loginfailure.KeyIn(keys...)).Exec(authz.SystemContext(ctx))
	return err
}

func (c *storeCounter) forget(ctx context.Context, key string) error {
	_, err := c.client.LoginFailure.Delete().Where(loginfailure.Key(key)).Exec(authz.SystemContext(ctx))
	return err
}

// sweep deletes the rows that have left the window, at most once a window
// per process. A failed sweep is retried at the next.
func (c *storeCounter) sweep(ctx context.Context) {
	now := c.now()
	last := c.swept.Load()
	if now.UnixNano()-last < int64(c.window) || !c.swept.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if _, err := c.client.LoginFailure.Delete().Where(loginfailure.AtLTE(now.Add(-c.window))).Exec(ctx); err != nil {
		c.swept.Store(last)
	}
}

// withTx runs fn in a new transaction of client, committed if fn returns
// nil and rolled back otherwise.
func withTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}
