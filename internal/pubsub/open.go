package pubsub

import (
	"context"
	"database/sql"

	"entgo.io/ent/dialect"
)

// Open returns the PubSub for a store: a Postgres listening on dsn when
// the Ent dialect is PostgreSQL (several processes may share the
// database), otherwise an in-process Broker (SQLite serves one process).
// db is the store's handle, used to publish; the caller keeps owning it.
func Open(ctx context.Context, dia, dsn string, db *sql.DB, opts ...Option) (PubSub, error) {
	if dia == dialect.Postgres {
		return NewPostgres(ctx, dsn, db, opts...)
	}
	return NewBroker(opts...), nil
}
