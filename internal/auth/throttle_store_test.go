package auth

import (
	"context"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestStoreCounter counts in the PostgreSQL store with a clock the test
// moves: the limit refuses with the time the oldest failure leaves the
// window, undo and forget take failures back, and rows older than the
// window are deleted by the next attempt after a window has passed.
func TestStoreCounter(t *testing.T) {
	if !slices.Contains(dbtest.Dialects(), dialect.Postgres) {
		t.Skip("the shared counter is for PostgreSQL")
	}
	store := dbtest.Open(t, dialect.Postgres)
	ctx := context.Background()
	c := newStoreCounter(store.Client, time.Minute)
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := start
	c.now = func() time.Time { return clock }
	rows := func() int { return store.Client.LoginFailure.Query().CountX(authz.SystemContext(ctx)) }
	account, address := limit{"account:a@example.org", 2}, limit{"address:192.0.2.1", 5}

	if _, _, err := c.begin(ctx, account, address); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(10 * time.Second)
	second, _, _ := c.begin(ctx, account, address)
	clock = clock.Add(10 * time.Second)
	if _, retryAt, _ := c.begin(ctx, account, address); !retryAt.Equal(start.Add(time.Minute)) {
		t.Errorf("third attempt: retry at %s, want %s", retryAt, start.Add(time.Minute))
	}
	if n := rows(); n != 4 {
		t.Errorf("%d rows after two attempts on two keys, want 4", n)
	}
	if err := c.undo(ctx, second, address.key); err != nil {
		t.Fatal(err)
	}
	if err := c.forget(ctx, account.key); err != nil {
		t.Fatal(err)
	}
	if n := rows(); n != 1 {
		t.Errorf("%d rows after undo and forget, want the first attempt's on the address", n)
	}

	clock = start.Add(2 * time.Minute)
	if _, retryAt, _ := c.begin(ctx, limit{"address:192.0.2.2", 5}); !retryAt.IsZero() {
		t.Errorf("an attempt from another address refused until %s", retryAt)
	}
	if n := rows(); n != 1 {
		t.Errorf("%d rows after a window, want only the new attempt's", n)
	}
}
