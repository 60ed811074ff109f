package db

import (
	"context"
	stdsql "database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
)

// IsConnectionError reports whether err says that the connection to the
// database broke or could not be made (the server restarted, terminated
// the backend, or the network dropped), rather than that a statement
// failed: the request may succeed if tried again.
func IsConnectionError(err error) bool {
	if err == nil {
		return false
	}
	for _, known := range []error{driver.ErrBadConn, stdsql.ErrConnDone, io.ErrUnexpectedEOF,
		syscall.ECONNRESET, syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE} {
		if errors.Is(err, known) {
			return true
		}
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true
	}
	if pqErr, ok := errors.AsType[*pq.Error](err); ok {
		return isConnectionCode(string(pqErr.Code))
	}
	return false
}

// isConnectionCode reports the PostgreSQL error codes of lost or refused
// connections: class 08 (connection exception), the server shutting down
// or starting (57P01-57P03) and too many connections (53300).
func isConnectionCode(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}

// reconnectingDriver is the Ent driver of a PostgreSQL store. When a
// connection turns out to be broken, it closes the pool's idle
// connections (a server restart or a network failure breaks all of them
// at once) and tries again once, where that is safe: a read outside a
// transaction, or the start of a transaction, which has done nothing yet.
// Anything else fails, and the API answers UNAVAILABLE (see
// internal/apierr). database/sql retries by itself only when the driver
// reports the connection bad before sending anything; lib/pq cannot know
// that of a connection the network reset.
type reconnectingDriver struct {
	*entsql.Driver
	db *stdsql.DB
}

var _ dialect.Driver = (*reconnectingDriver)(nil)

// Query implements dialect.Driver.
func (d *reconnectingDriver) Query(ctx context.Context, query string, args, v any) error {
	err := d.Driver.Query(ctx, query, args, v)
	if d.retry(ctx, isRead(query), err) {
		err = d.Driver.Query(ctx, query, args, v)
	}
	return err
}

// QueryContext runs a raw query (Ent's FeatureExecQuery), like Query.
func (d *reconnectingDriver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	rows, err := d.Driver.QueryContext(ctx, query, args...)
	if d.retry(ctx, isRead(query), err) {
		rows, err = d.Driver.QueryContext(ctx, query, args...)
	}
	return rows, err
}

// Tx implements dialect.Driver.
func (d *reconnectingDriver) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

// BeginTx starts a transaction, on a fresh connection if the first one
// turns out to be broken.
func (d *reconnectingDriver) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	if d.retry(ctx, true, err) {
		tx, err = d.Driver.BeginTx(ctx, opts)
	}
	return tx, err
}

// retry reports whether a statement that failed with err may run again
// (safe says whether running it twice is harmless), and if so closes the
// idle connections first.
func (d *reconnectingDriver) retry(ctx context.Context, safe bool, err error) bool {
	if !safe || !IsConnectionError(err) || ctx.Err() != nil {
		return false
	}
	d.db.SetMaxIdleConns(0)
	// The pool keeps every open connection idle (configurePool).
	d.db.SetMaxIdleConns(d.db.Stats().MaxOpenConnections)
	return true
}

// isRead reports whether a statement only reads, so that running it twice
// is harmless even if the first run reached the server.
func isRead(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT")
}
