package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	atlasschema "ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"
)

// txConn is a migration transaction.
type txConn interface {
	execQuerier
	Commit() error
	Rollback() error
}

// atlasDriver opens the Atlas driver of an Ent dialect over conn.
func atlasDriver(dia string, conn atlasschema.ExecQuerier) (migrate.Driver, error) {
	var (
		drv migrate.Driver
		err error
	)
	switch dia {
	case dialect.SQLite:
		drv, err = sqlite.Open(conn)
	case dialect.Postgres:
		drv, err = postgres.Open(conn)
	default:
		return nil, fmt.Errorf("migrations do not support dialect %q", dia)
	}
	if err != nil {
		return nil, fmt.Errorf("opening Atlas %s driver: %w", dia, err)
	}
	return drv, nil
}

// beginTx starts a migration transaction on the store.
func beginTx(ctx context.Context, s *Store) (txConn, error) {
	if s.Dialect == dialect.SQLite {
		return beginSQLiteTx(ctx, s.DB)
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return pgTx{tx}, nil
}

// pgTx is a PostgreSQL migration transaction; DDL is transactional there.
type pgTx struct{ *sql.Tx }

// Rollback rolls back unless the transaction is already over.
func (t pgTx) Rollback() error {
	if err := t.Tx.Rollback(); !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}

// sqliteTx is a SQLite migration transaction on one pinned connection.
// Like Atlas's sqlite.OpenTx, it turns foreign key enforcement off for the
// transaction (a PRAGMA that is a no-op inside one, and which table-rebuilding
// migrations need), checks before committing that no new foreign key
// violations appeared, and turns enforcement back on afterwards.
type sqliteTx struct {
	*sql.Tx
	conn             *sql.Conn
	commit, rollback func() error
	done             bool
}

// beginSQLiteTx starts a SQLite migration transaction.
func beginSQLiteTx(ctx context.Context, db *sql.DB) (*sqliteTx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, on, err := beginNoFK(ctx, conn)
	if err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	commit, err := sqlite.CommitFunc(ctx, conn, tx, on)
	if err != nil {
		rollback := sqlite.RollbackFunc(ctx, conn, tx, on)
		return nil, errors.Join(err, rollback(), conn.Close())
	}
	return &sqliteTx{Tx: tx, conn: conn, commit: commit, rollback: sqlite.RollbackFunc(ctx, conn, tx, on)}, nil
}

// beginNoFK turns foreign key enforcement off on conn, if it was on, and
// begins a transaction; it reports whether enforcement was on.
func beginNoFK(ctx context.Context, conn *sql.Conn) (*sql.Tx, bool, error) {
	var on bool
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil {
		return nil, false, fmt.Errorf("reading foreign_keys pragma: %w", err)
	}
	if on {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
			return nil, false, fmt.Errorf("disabling foreign keys: %w", err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil && on {
		_, err2 := conn.ExecContext(ctx, "PRAGMA foreign_keys = on")
		return nil, false, errors.Join(err, err2)
	}
	return tx, on, err
}

// Commit checks foreign keys, commits and releases the connection.
func (t *sqliteTx) Commit() error { return t.finish(t.commit) }

// Rollback rolls back and releases the connection, unless already done.
func (t *sqliteTx) Rollback() error { return t.finish(t.rollback) }

// finish ends the transaction once.
func (t *sqliteTx) finish(end func() error) error {
	if t.done {
		return nil
	}
	t.done = true
	return errors.Join(end(), t.conn.Close())
}
