package pubsub

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/bridgesoftrust/hub/ent"
)

// PublishAfterCommit publishes ev once the Ent transaction in ctx commits,
// or at once when ctx carries none. Resolvers use it whatever the backend:
//
//   - with a TxPublisher (Postgres) the event is queued in the transaction
//     itself (NOTIFY), which PostgreSQL delivers on COMMIT and drops on
//     ROLLBACK, so delivery is exactly as durable as the data (if the
//     transaction's driver cannot run raw statements, as with a wrapping
//     driver that does not forward ExecContext, it falls back to the
//     commit hook below);
//   - with any other PubSub (Broker) it is kept until the transaction's
//     commit succeeds, through an ent.Tx OnCommit hook, and forgotten if
//     it rolls back or the commit fails.
//
// A mutation's events are published in the order they were added. The
// transaction is the one ent.TxFromContext finds, which is where
// entgql.Transactioner puts each mutation's. It must be called before the
// transaction ends. An invalid event is refused at once, so the caller can
// still roll back.
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

// pendingEvent is an event waiting for its transaction to commit.
type pendingEvent struct {
	ps PubSub
	ev Event
}

// pending holds the events of open transactions. Ent's Tx has no room for
// them, hence this map; the transaction's commit or rollback hook removes
// its entry.
var pending = struct {
	sync.Mutex
	txs map[*ent.Tx][]pendingEvent
}{txs: make(map[*ent.Tx][]pendingEvent)}

// deferUntilCommit queues ev for tx, hooking tx's commit and rollback the
// first time.
func deferUntilCommit(tx *ent.Tx, ps PubSub, ev Event) {
	pending.Lock()
	evs, hooked := pending.txs[tx]
	pending.txs[tx] = append(evs, pendingEvent{ps, ev})
	pending.Unlock()
	if !hooked {
		tx.OnCommit(publishOnCommit(tx))
		tx.OnRollback(forgetOnRollback(tx))
	}
}

// takePending removes and returns tx's queued events.
func takePending(tx *ent.Tx) []pendingEvent {
	pending.Lock()
	defer pending.Unlock()
	evs := pending.txs[tx]
	delete(pending.txs, tx)
	return evs
}

// publishOnCommit returns the commit hook that publishes key's events if
// the commit succeeds. A publishing error is logged, not returned: the
// data is committed, and the caller must not believe otherwise.
func publishOnCommit(key *ent.Tx) ent.CommitHook {
	return func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			evs := takePending(key)
			if err != nil {
				return err
			}
			ctx = context.WithoutCancel(ctx)
			for _, p := range evs {
				if perr := p.ps.Publish(ctx, p.ev); perr != nil {
					slog.Warn("pubsub: publishing after commit", "topic", p.ev.Topic, "err", perr)
				}
			}
			return nil
		})
	}
}

// forgetOnRollback returns the rollback hook that drops key's events.
func forgetOnRollback(key *ent.Tx) ent.RollbackHook {
	return func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
			takePending(key)
			return next.Rollback(ctx, tx)
		})
	}
}
