package db

import (
	"context"
	stdsql "database/sql"
	"sync/atomic"

	"entgo.io/ent/dialect"
	"golang.org/x/sync/semaphore"
)

// connGate lets the store's statements into its connection pool in the
// order they came. database/sql hands a freed connection to a random
// waiter (its connRequestSet.TakeRandom), so with fewer connections than
// requests in flight some requests waited for many turns while others
// went through at once: with a pool of 8 a portal map's p99 doubled
// (200-250 to 350-455 ms) although the smaller pool served more requests
// a second with less PostgreSQL time. The gate is a FIFO semaphore
// (golang.org/x/sync/semaphore) as wide as the pool: whoever holds a turn
// finds a free connection, and turns are given first come, first served.
//
// A turn lasts as long as database/sql holds the connection that took
// it: the statement's context carries the turn to the connection
// (cachingConn.claimTurn), which ends it when the pool takes it back
// (database/sql asks the connection IsValid then) or closes it. So a
// query's turn ends when its rows are closed, a transaction's when it
// commits or rolls back, also when its context ends, without wrapping
// Ent's rows or transactions. Code that uses the *sql.DB itself goes
// around the gate: it may make a gated statement wait inside
// database/sql, never deadlock it, since the gate never admits more
// statements than the pool has connections.
type connGate struct {
	// sem is replaced when the pool is resized; a turn is given back to
	// the semaphore it was taken from.
	sem atomic.Pointer[semaphore.Weighted]
}

// newConnGate returns a gate of n turns.
func newConnGate(n int) *connGate {
	g := &connGate{}
	g.resize(n)
	return g
}

// resize makes the gate n turns wide for the statements that come next.
func (g *connGate) resize(n int) { g.sem.Store(semaphore.NewWeighted(int64(n))) }

// turnKey is the context key of a statement's turn.
type turnKey struct{}

// turn is a statement's place in the pool, given back once.
type turn struct {
	sem *semaphore.Weighted
	// claimed is set by the connection that took the turn.
	claimed atomic.Bool
	ended   atomic.Bool
}

// enter waits for a turn, or for ctx to end (its error is returned), and
// returns the context that carries the turn to the connection.
func (g *connGate) enter(ctx context.Context) (context.Context, *turn, error) {
	sem := g.sem.Load()
	if err := sem.Acquire(ctx, 1); err != nil {
		return nil, nil, err
	}
	t := &turn{sem: sem}
	return context.WithValue(ctx, turnKey{}, t), t, nil
}

// end gives the turn back, once.
func (t *turn) end() {
	if t.ended.CompareAndSwap(false, true) {
		t.sem.Release(1)
	}
}

// settle ends the turn after its statement returned err, unless a
// connection holds it: one that failed holds nothing, and a statement
// that no connection claimed must not keep its turn forever.
func (t *turn) settle(err error) {
	if err != nil || !t.claimed.Load() {
		t.end()
	}
}

// turnOf returns the turn that ctx carries, if any.
func turnOf(ctx context.Context) *turn {
	t, _ := ctx.Value(turnKey{}).(*turn)
	return t
}

// gatedDriver is an Ent driver whose statements pass through a connGate.
type gatedDriver struct {
	dialect.Driver
	gate *connGate
}

// inTurn runs a statement in a turn of the gate: run gets the context
// that carries the turn to the connection.
func inTurn[T any](ctx context.Context, g *connGate, run func(context.Context) (T, error)) (T, error) {
	ctx, t, err := g.enter(ctx)
	if err != nil {
		var none T
		return none, err
	}
	v, err := run(ctx)
	t.settle(err)
	return v, err
}

// Query implements dialect.Driver: the turn ends when the rows are closed.
func (d gatedDriver) Query(ctx context.Context, query string, args, v any) error {
	_, err := inTurn(ctx, d.gate, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, d.Driver.Query(ctx, query, args, v)
	})
	return err
}

// Exec implements dialect.Driver.
func (d gatedDriver) Exec(ctx context.Context, query string, args, v any) error {
	_, err := inTurn(ctx, d.gate, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, d.Driver.Exec(ctx, query, args, v)
	})
	return err
}

// Tx implements dialect.Driver.
func (d gatedDriver) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

// BeginTx starts a transaction that holds a turn until it ends.
func (d gatedDriver) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (dialect.Tx, error) {
	return inTurn(ctx, d.gate, func(ctx context.Context) (dialect.Tx, error) {
		return beginWith(ctx, d.Driver, opts)
	})
}

// ExecContext runs a raw statement (Ent's FeatureExecQuery) in a turn.
func (d gatedDriver) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	return inTurn(ctx, d.gate, func(ctx context.Context) (stdsql.Result, error) {
		return d.Driver.(rawExecer).ExecContext(ctx, query, args...)
	})
}

// QueryContext runs a raw query in a turn, which ends when the caller
// closes the rows.
func (d gatedDriver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	return inTurn(ctx, d.gate, func(ctx context.Context) (*stdsql.Rows, error) {
		return d.Driver.(rawQueryer).QueryContext(ctx, query, args...)
	})
}
