package pubsub_test

import (
	"context"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/pubsub"
)

// openTx opens a transaction the way entgql.Transactioner does for every
// mutation: the *ent.Tx and its client end up in the returned context.
func openTx(t *testing.T, client *ent.Client) (context.Context, *ent.Tx) {
	t.Helper()
	ctx, dtx, err := client.OpenTx(context.Background())
	if err != nil {
		t.Fatalf("opening transaction: %v", err)
	}
	return ctx, dtx.(*ent.Tx)
}

func TestPublishAfterCommitWithBroker(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	b := pubsub.NewBroker()
	defer b.Close()
	sub := subscribe(t, b, context.Background(), "post:1")

	t.Run("rolled back", func(t *testing.T) {
		ctx, tx := openTx(t, store.Client)
		if err := pubsub.PublishAfterCommit(ctx, b, event("post:1", 1)); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		expectNone(t, sub)
	})
	t.Run("committed", func(t *testing.T) {
		ctx, tx := openTx(t, store.Client)
		for id := 2; id <= 4; id++ {
			if err := pubsub.PublishAfterCommit(ctx, b, event("post:1", id)); err != nil {
				t.Fatal(err)
			}
		}
		expectNone(t, sub) // not before the commit
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		for id := 2; id <= 4; id++ { // all of them, in order
			if ev := receive(t, sub); string(ev.Payload) != string(event("post:1", id).Payload) {
				t.Fatalf("got %s, want id %d", ev.Payload, id)
			}
		}
		expectNone(t, sub)
	})
	t.Run("no transaction", func(t *testing.T) {
		if err := pubsub.PublishAfterCommit(context.Background(), b, event("post:1", 5)); err != nil {
			t.Fatal(err)
		}
		receive(t, sub)
	})
	t.Run("invalid event refused at once", func(t *testing.T) {
		ctx, tx := openTx(t, store.Client)
		defer tx.Rollback()
		if err := pubsub.PublishAfterCommit(ctx, b, pubsub.Event{Topic: "bad\ttopic"}); err == nil {
			t.Fatal("invalid event accepted")
		}
	})
}

// TestPublishAfterCommitFailedCommit: events of a transaction whose
// commit fails are not published.
func TestPublishAfterCommitFailedCommit(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	b := pubsub.NewBroker()
	defer b.Close()
	sub := subscribe(t, b, context.Background(), "news")
	ctx, tx := openTx(t, store.Client)
	if err := pubsub.PublishAfterCommit(ctx, b, event("news", 1)); err != nil {
		t.Fatal(err)
	}
	tx.OnCommit(func(ent.Committer) ent.Committer { // a commit that fails
		return ent.CommitFunc(func(context.Context, *ent.Tx) error { return context.DeadlineExceeded })
	})
	if err := tx.Commit(); err == nil {
		t.Fatal("commit succeeded")
	}
	_ = tx.Rollback()
	expectNone(t, sub)
}

// TestPublishAfterCommitMutationTx: an Ent hook names its transaction with
// the mutation's Tx(), a different *ent.Tx value for the same transaction;
// the events still go out once, on commit, in the order they were added.
func TestPublishAfterCommitMutationTx(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	b := pubsub.NewBroker()
	defer b.Close()
	sub := subscribe(t, b, context.Background(), "news")
	ctx, tx := openTx(t, store.Client)
	mtx, err := tx.Country.Create().Mutation().Tx()
	if err != nil || mtx == tx {
		t.Fatalf("mutation Tx() = %p, %v; want another value than %p", mtx, err, tx)
	}
	hookCtx := ent.NewTxContext(context.Background(), mtx)
	for i, c := range []context.Context{ctx, hookCtx, ctx, hookCtx} {
		if err := pubsub.PublishAfterCommit(c, b, event("news", i)); err != nil {
			t.Fatal(err)
		}
	}
	expectNone(t, sub)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if ev := receive(t, sub); string(ev.Payload) != string(event("news", i).Payload) {
			t.Fatalf("event %d: got %s", i, ev.Payload)
		}
	}
	expectNone(t, sub)
}
