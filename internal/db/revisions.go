package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// revisionsTable names the table recording applied migrations. Its name and
// columns follow the Atlas CLI's, so `atlas migrate status` can read it; on
// PostgreSQL it lives in a schema of its own, as the CLI puts it.
const revisionsTable = "atlas_schema_revisions"

// execQuerier is what the revisions need from a connection or transaction.
type execQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// revisions stores Atlas revisions in the database itself; it implements
// migrate.RevisionReadWriter.
type revisions struct {
	conn    execQuerier
	dialect string
}

var _ migrate.RevisionReadWriter = (*revisions)(nil)

const revisionColumns = "version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, partial_hashes, operator_version"

// Ident implements migrate.RevisionReadWriter.
func (r *revisions) Ident() *migrate.TableIdent {
	if r.dialect == dialect.Postgres {
		return &migrate.TableIdent{Name: revisionsTable, Schema: revisionsTable}
	}
	return &migrate.TableIdent{Name: revisionsTable}
}

// table is the qualified, quoted table name.
func (r *revisions) table() string {
	if r.dialect == dialect.Postgres {
		return `"` + revisionsTable + `"."` + revisionsTable + `"`
	}
	return "`" + revisionsTable + "`"
}

// create creates the revisions table (and on PostgreSQL its schema) unless
// it exists.
func (r *revisions) create(ctx context.Context) error {
	stmts := []string{`CREATE TABLE IF NOT EXISTS ` + r.table() + ` (version text NOT NULL PRIMARY KEY,
 description text NOT NULL, type integer NOT NULL DEFAULT 2, applied integer NOT NULL DEFAULT 0,
 total integer NOT NULL DEFAULT 0, executed_at datetime NOT NULL, execution_time integer NOT NULL,
 error text NULL, error_stmt text NULL, hash text NOT NULL, partial_hashes json NULL, operator_version text NOT NULL)`}
	if r.dialect == dialect.Postgres {
		stmts = []string{
			`CREATE SCHEMA IF NOT EXISTS "` + revisionsTable + `"`,
			`CREATE TABLE IF NOT EXISTS ` + r.table() + ` (version character varying NOT NULL PRIMARY KEY,
 description character varying NOT NULL, type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0,
 total bigint NOT NULL DEFAULT 0, executed_at timestamptz NOT NULL, execution_time bigint NOT NULL,
 error text NULL, error_stmt text NULL, hash character varying NOT NULL, partial_hashes jsonb NULL,
 operator_version character varying NOT NULL)`,
		}
	}
	for _, s := range stmts {
		if _, err := r.conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("creating revisions table: %w", err)
		}
	}
	return nil
}

// exists reports whether the revisions table exists.
func (r *revisions) exists(ctx context.Context) (bool, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '` + revisionsTable + `'`
	if r.dialect == dialect.Postgres {
		q = `SELECT count(*) FROM pg_tables WHERE schemaname = '` + revisionsTable + `' AND tablename = '` + revisionsTable + `'`
	}
	rows, err := r.conn.QueryContext(ctx, q)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var n int
	if rows.Next() {
		err = rows.Scan(&n)
	}
	return n > 0, errors.Join(err, rows.Err())
}

// ReadRevisions implements migrate.RevisionReadWriter. A database without
// the revisions table has none.
func (r *revisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	if ok, err := r.exists(ctx); err != nil || !ok {
		return nil, err
	}
	return r.query(ctx, "SELECT "+revisionColumns+" FROM "+r.table()+" ORDER BY version")
}

// ReadRevision implements migrate.RevisionReadWriter.
func (r *revisions) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	revs, err := r.query(ctx, "SELECT "+revisionColumns+" FROM "+r.table()+" WHERE version = "+r.ph(1), version)
	switch {
	case err != nil:
		return nil, err
	case len(revs) == 0:
		return nil, migrate.ErrRevisionNotExist
	}
	return revs[0], nil
}

// WriteRevision implements migrate.RevisionReadWriter: it inserts or
// replaces the revision of the version.
func (r *revisions) WriteRevision(ctx context.Context, rev *migrate.Revision) error {
	var hashes any
	if len(rev.PartialHashes) > 0 {
		b, err := json.Marshal(rev.PartialHashes)
		if err != nil {
			return err
		}
		hashes = string(b)
	}
	cols := strings.Split(revisionColumns, ", ")
	phs, sets := make([]string, len(cols)), make([]string, 0, len(cols)-1)
	for i, c := range cols {
		phs[i] = r.ph(i + 1)
		if i > 0 {
			sets = append(sets, c+" = excluded."+c)
		}
	}
	q := "INSERT INTO " + r.table() + " (" + revisionColumns + ") VALUES (" + strings.Join(phs, ", ") +
		") ON CONFLICT (version) DO UPDATE SET " + strings.Join(sets, ", ")
	_, err := r.conn.ExecContext(ctx, q, rev.Version, rev.Description, int64(rev.Type), rev.Applied, rev.Total,
		rev.ExecutedAt.UTC(), int64(rev.ExecutionTime), nullString(rev.Error), nullString(rev.ErrorStmt),
		rev.Hash, hashes, rev.OperatorVersion)
	return err
}

// DeleteRevision implements migrate.RevisionReadWriter.
func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	_, err := r.conn.ExecContext(ctx, "DELETE FROM "+r.table()+" WHERE version = "+r.ph(1), version)
	return err
}

// query runs a revisions query and scans its rows.
func (r *revisions) query(ctx context.Context, q string, args ...any) ([]*migrate.Revision, error) {
	rows, err := r.conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var revs []*migrate.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	return revs, rows.Err()
}

// scanRevision reads one row of revisionColumns.
func scanRevision(rows *sql.Rows) (*migrate.Revision, error) {
	var (
		rev              migrate.Revision
		typ, elapsed     int64
		errText, errStmt sql.NullString
		hashes           []byte
		executedAt       time.Time
	)
	err := rows.Scan(&rev.Version, &rev.Description, &typ, &rev.Applied, &rev.Total, &executedAt,
		&elapsed, &errText, &errStmt, &rev.Hash, &hashes, &rev.OperatorVersion)
	if err != nil {
		return nil, fmt.Errorf("reading revision: %w", err)
	}
	if len(hashes) > 0 {
		if err := json.Unmarshal(hashes, &rev.PartialHashes); err != nil {
			return nil, fmt.Errorf("reading revision %s: partial hashes: %w", rev.Version, err)
		}
	}
	rev.Type, rev.ExecutionTime, rev.ExecutedAt = migrate.RevisionType(typ), time.Duration(elapsed), executedAt
	rev.Error, rev.ErrorStmt = errText.String, errStmt.String
	return &rev, nil
}

// ph is the dialect's placeholder for the nth argument.
func (r *revisions) ph(n int) string {
	if r.dialect == dialect.Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// nullString maps "" to NULL.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
