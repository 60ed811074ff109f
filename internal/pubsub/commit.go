package pubsub

import (
	"context"
	"log/slog"
	"strings"

	"github.com/bridgesoftrust/hub/ent"
)

// PublishAfterCommit publishes ev once the Ent transaction in ctx commits,
// or at once when ctx carries none. Resolvers use it whatever the backend:
//
//   - with a TxPublisher (Postgres) the event is queued in the transaction
//     itself (NOTIFY), which PostgreSQL delivers on COMMIT and drops on
//     ROLLBACK, atomically with the data (if the transaction's driver
//     cannot run raw statements, as with a wrapping driver that does not
//     forward ExecContext, it falls back to the commit hook below);
//   - with any other PubSub (Broker) it is kept until the transaction's
//     commit succeeds, through an ent.Tx OnCommit hook, and forgotten if
//     it rolls back or the commit fails.
//
// A transaction's events are published in the order they were added. The
// transaction is the one ent.TxFromContext finds, which is where
// entgql.Transactioner puts each mutation's. In an Ent hook, whose mutation
// may run in a transaction that ctx does not name, put the mutation's
// first:
//
//	if tx, err := m.Tx(); err == nil {
//		ctx = ent.NewTxContext(ctx, tx)
//	}
//
// It must be called before the transaction ends. An invalid event is
// refused at once, so the caller can still roll back.
func PublishAfterCommit(ctx context.Context, ps PubSub, ev Event) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		return ps.Publish(ctx, ev)
	}
	if tp, ok := ps.(TxPublisher); ok {
		err := tp.PublishTx(ctx, tx, ev)
		if !execUnsupported(err) {
			return err
		}
		// The transaction cannot run raw statements (a wrapping driver that
		// does not forward ExecContext); publish after the commit instead.
	}
	deferUntilCommit(tx, ps, ev)
	return nil
}

// execUnsupported reports whether err is Ent's refusal to run ExecContext
// on a driver that lacks it ("Tx.ExecContext is not supported"); Ent has
// no error value to test for.
func execUnsupported(err error) bool {
	return err != nil && strings.HasSuffix(err.Error(), "ExecContext is not supported")
}

// deferUntilCommit adds a commit hook to tx that publishes ev if the
// commit succeeds. A failed commit or a rollback never runs it.
//
// Each event gets its own hook. Ent nests hooks in the order they were
// added, so after the commit the last one's code would run first; to
// publish in the order the events were added, the outermost hook passes a
// batch down the chain in the commit's context, the inner ones add their
// events to it, and the outermost publishes the batch once the commit has
// returned. This needs no state outside the transaction, and works
// whichever *ent.Tx value (ent.TxFromContext, a mutation's Tx()) names it.
func deferUntilCommit(tx *ent.Tx, ps PubSub, ev Event) {
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if b, ok := ctx.Value(batchKey{}).(*batch); ok {
				b.add(ps, ev)
				return next.Commit(ctx, tx)
			}
			b := &batch{}
			b.add(ps, ev)
			if err := next.Commit(context.WithValue(ctx, batchKey{}, b), tx); err != nil {
				return err
			}
			b.publish(context.WithoutCancel(ctx))
			return nil
		})
	})
}

// batchKey keys a commit's *batch in its context.
type batchKey struct{}

// batch holds the events of one commit, in the order they were added. The
// commit hooks run one after another, so it needs no lock.
type batch struct {
	events []pendingEvent
}

// pendingEvent is an event waiting for its transaction to commit.
type pendingEvent struct {
	ps PubSub
	ev Event
}

func (b *batch) add(ps PubSub, ev Event) { b.events = append(b.events, pendingEvent{ps, ev}) }

// publish publishes the batch. An error is logged, not returned: the data
// is committed, and the caller must not believe otherwise.
func (b *batch) publish(ctx context.Context) {
	for _, p := range b.events {
		if err := p.ps.Publish(ctx, p.ev); err != nil {
			slog.WarnContext(ctx, "pubsub: publishing after commit", "topic", p.ev.Topic, "err", err)
		}
	}
}
