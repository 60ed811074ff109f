package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/lib/pq"
)

// statementsPerConn is how many prepared statements each connection keeps
// (least recently used ones are closed).
const statementsPerConn = 256

// The Hub's statements are few shapes run many times, with arguments.
// lib/pq prepares nothing: each such statement is parsed and planned by
// the server anew, in two round trips (parse/describe, then bind/execute).
// No well-kept driver layer caches statements per connection for lib/pq
// (pgx has one but would replace the driver the stack fixes), so this
// small wrapper does: each connection prepares a statement text once and
// then runs it in one round trip, without parsing or planning it again
// once PostgreSQL has settled on a plan. Statements without arguments go
// through unprepared, except reads. modernc.org/sqlite compiles every
// statement it is handed unprepared too; its prepared statements are
// reset and reused, so SQLite connections keep theirs the same way (SQLite prepares a statement
// again by itself when a migration changed the schema under it).

// cachingConnector opens connections that cache their prepared
// statements.
type cachingConnector struct{ driver.Connector }

// postgresConnector returns lib/pq's connector of dsn with statement
// caching.
func postgresConnector(dsn string) (driver.Connector, error) {
	c, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return cachingConnector{c}, nil
}

// sqliteConnector returns a connector of modernc.org/sqlite (registered as
// "sqlite") for dsn with statement caching.
func sqliteConnector(dsn string) (driver.Connector, error) {
	handle, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	drv := handle.Driver()
	_ = handle.Close()
	return cachingConnector{dsnConnector{dsn: dsn, driver: drv}}, nil
}

// dsnConnector is the connector of a driver that has none of its own.
type dsnConnector struct {
	dsn    string
	driver driver.Driver
}

// Connect opens a connection to the DSN.
func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }

// Driver returns the underlying driver.
func (c dsnConnector) Driver() driver.Driver { return c.driver }

// Connect opens a connection with an empty statement cache.
func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	cache, err := lru.NewWithEvict(statementsPerConn, func(_ string, st driver.Stmt) { _ = st.Close() })
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: cache}, nil
}

// cachingConn is a connection that runs statements with arguments
// through its cache of prepared statements. database/sql uses a
// connection from one goroutine at a time, so it needs no lock.
type cachingConn struct {
	driver.Conn
	stmts *lru.Cache[string, driver.Stmt]
	// turn is the gate's turn this connection holds for the statement or
	// transaction it serves (see gate.go), ended when the pool takes the
	// connection back.
	turn *turn
}

// claimTurn takes the turn that ctx carries, if any: the statement that
// entered the gate runs on this connection.
func (c *cachingConn) claimTurn(ctx context.Context) {
	if t := turnOf(ctx); t != nil && t != c.turn {
		c.endTurn()
		t.claimed.Store(true)
		c.turn = t
	}
}

// endTurn gives back the turn the connection holds.
func (c *cachingConn) endTurn() {
	if c.turn != nil {
		c.turn.end()
		c.turn = nil
	}
}

// stmt returns the prepared statement of query, preparing it once.
func (c *cachingConn) stmt(ctx context.Context, query string) (driver.Stmt, error) {
	if st, ok := c.stmts.Get(query); ok {
		return st, nil
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts.Add(query, st)
	return st, nil
}

// QueryContext runs query, prepared once when it has arguments or reads
// (an Ent page whose only value is its LIMIT has none, and PostgreSQL
// would plan it on every run).
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.claimTurn(ctx)
	if len(args) == 0 && !reads(query) {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if isStalePlan(err) {
		// A migration changed a table under the cached plan: prepare again.
		c.stmts.Remove(query)
		return c.QueryContext(ctx, query, args)
	}
	return rows, err
}

// reads reports whether query is a SELECT (or a WITH ... SELECT), as Ent
// writes them.
func reads(query string) bool {
	return strings.HasPrefix(query, "SELECT ") || strings.HasPrefix(query, "WITH ")
}

// ExecContext runs query, prepared once when it has arguments.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.claimTurn(ctx)
	if len(args) == 0 {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	if isStalePlan(err) {
		c.stmts.Remove(query)
		return c.ExecContext(ctx, query, args)
	}
	return res, err
}

// isStalePlan reports PostgreSQL's refusal to run a prepared statement
// whose tables changed shape ("cached plan must not change result type").
func isStalePlan(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "0A000"
}

// Unwrap returns the driver's own connection.
func (c *cachingConn) Unwrap() driver.Conn { return c.Conn }

// DriverConn returns the driver's own connection behind dc, a connection
// that sql.Conn.Raw hands over, for the driver's extensions (SQLite's
// backup API).
func DriverConn(dc any) any {
	if w, ok := dc.(interface{ Unwrap() driver.Conn }); ok {
		return w.Unwrap()
	}
	return dc
}

// Close closes the cached statements and the connection.
func (c *cachingConn) Close() error {
	c.endTurn()
	c.stmts.Purge()
	return c.Conn.Close()
}

// The interfaces database/sql looks for on a connection, passed through
// to the driver's.

// PrepareContext prepares a statement the caller owns (not cached).
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.claimTurn(ctx)
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// BeginTx starts a transaction.
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.claimTurn(ctx)
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// Ping checks the connection.
func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// ResetSession lets the pool drop a broken connection.
func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// IsValid reports whether the connection may be reused. database/sql
// asks it each time the connection goes back to the pool, which ends the
// connection's turn at the gate.
func (c *cachingConn) IsValid() bool {
	c.endTurn()
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue converts arguments as the driver does.
func (c *cachingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
