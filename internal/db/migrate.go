package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"ariga.io/atlas/sql/migrate"
	atlasschema "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect"
)

// migrationFiles holds the versioned migrations, one directory per dialect
// (sqlite, postgres), each with its atlas.sum. They are written by
// `go run -mod=mod ./ent/migrate/main.go <name>`; see docs/migrations.md.
//
//go:embed migrations
var migrationFiles embed.FS

const (
	// lockName is the PostgreSQL advisory lock held while migrating; it is
	// the Atlas CLI's, so the CLI and the Hub also exclude each other.
	lockName = "atlas_migrate_execute"
	// lockTimeout bounds the wait for another process's migration.
	lockTimeout = 10 * time.Minute
	// operator is recorded in each revision as who applied it.
	operator = "hub"
)

// Migrations returns the embedded migration directory of an Ent dialect
// ("sqlite3" or "postgres").
func Migrations(dia string) (fs.FS, error) {
	name := map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgres"}[dia]
	if name == "" {
		return nil, fmt.Errorf("no migrations for dialect %q", dia)
	}
	return fs.Sub(migrationFiles, "migrations/"+name)
}

// Migrate brings the store's schema up to date by applying the pending
// embedded migrations of its dialect.
func Migrate(ctx context.Context, s *Store) error {
	fsys, err := Migrations(s.Dialect)
	if err != nil {
		return err
	}
	_, err = ApplyMigrations(ctx, s, fsys)
	return err
}

// ApplyMigrations applies the pending migrations in fsys, a directory of
// Atlas migration files with their atlas.sum, and returns how many it
// applied. Each file runs in its own transaction together with its
// revision record. The directory must match its atlas.sum. On PostgreSQL
// an advisory lock keeps concurrent callers (several replicas starting at
// once) from racing.
func ApplyMigrations(ctx context.Context, s *Store, fsys fs.FS) (int, error) {
	dir, err := loadDir(fsys)
	if err != nil {
		return 0, err
	}
	unlock, err := lock(ctx, s)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err := unlock(); err != nil {
			slog.WarnContext(ctx, "releasing migration lock", "err", err)
		}
	}()
	if err := (&revisions{conn: s.DB, dialect: s.Dialect}).create(ctx); err != nil {
		return 0, err
	}
	n, err := applyAll(ctx, s, dir)
	if err != nil {
		return n, err
	}
	slog.InfoContext(ctx, "schema up to date", "dialect", s.Dialect, "applied", n)
	return n, nil
}

// applyAll applies pending files one by one until none is left.
func applyAll(ctx context.Context, s *Store, dir migrate.Dir) (int, error) {
	for n := 0; ; n++ {
		name, err := applyNext(ctx, s, dir)
		if err != nil || name == "" {
			return n, err
		}
		slog.InfoContext(ctx, "migration applied", "dialect", s.Dialect, "file", name)
	}
}

// applyNext applies the first pending file in one transaction and returns
// its name, or "" when nothing is pending. Pending files are computed inside
// the transaction so a concurrent migrator cannot apply the same file.
func applyNext(ctx context.Context, s *Store, dir migrate.Dir) (name string, err error) {
	tx, err := beginTx(ctx, s)
	if err != nil {
		return "", fmt.Errorf("migrating %s: %w", s.Dialect, err)
	}
	defer func() {
		if name == "" || err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	ex, err := newExecutor(tx, s.Dialect, dir)
	if err != nil {
		return "", err
	}
	pending, err := ex.Pending(ctx)
	switch {
	case errors.Is(err, migrate.ErrNoPendingFiles):
		return "", nil
	case err != nil:
		return "", pendingError(s.Dialect, err)
	}
	f := pending[0]
	if err := ex.Execute(ctx, f); err != nil {
		return "", fmt.Errorf("applying migration %s (%s): %w", f.Name(), s.Dialect, err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("committing migration %s (%s): %w", f.Name(), s.Dialect, err)
	}
	return f.Name(), nil
}

// newExecutor returns an Atlas executor working in tx.
func newExecutor(tx txConn, dia string, dir migrate.Dir) (*migrate.Executor, error) {
	drv, err := atlasDriver(dia, tx)
	if err != nil {
		return nil, err
	}
	return migrate.NewExecutor(drv, dir, &revisions{conn: tx, dialect: dia}, migrate.WithOperatorVersion(operator))
}

// pendingError explains why the pending migrations could not be computed.
func pendingError(dia string, err error) error {
	if errors.As(err, new(*migrate.NotCleanError)) {
		return fmt.Errorf("migrating %s: the database has tables but no migration history "+
			"(was it created before versioned migrations?): %w", dia, err)
	}
	return fmt.Errorf("migrating %s: %w", dia, err)
}

// loadDir copies a migration directory into memory and checks it against
// its atlas.sum.
func loadDir(fsys fs.FS) (migrate.Dir, error) {
	dir := &migrate.MemDir{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading migrations: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", e.Name(), err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	if err := migrate.Validate(dir); err != nil {
		return nil, fmt.Errorf("migration files do not match %s (edited by hand? regenerate, see docs/migrations.md): %w",
			migrate.HashFileName, err)
	}
	return dir, nil
}

// lock takes the PostgreSQL advisory migration lock; on SQLite it does
// nothing (the write transaction of each file serialises migrators).
func lock(ctx context.Context, s *Store) (func() error, error) {
	if s.Dialect != dialect.Postgres {
		return func() error { return nil }, nil
	}
	drv, err := atlasDriver(s.Dialect, s.DB)
	if err != nil {
		return nil, err
	}
	locker, ok := drv.(atlasschema.Locker)
	if !ok {
		return nil, errors.New("migrating postgres: the Atlas driver cannot take locks")
	}
	unlock, err := locker.Lock(ctx, lockName, lockTimeout)
	if err != nil {
		return nil, fmt.Errorf("migrating postgres: taking the migration lock: %w", err)
	}
	return unlock, nil
}

// MigrationState describes where a store stands against the embedded
// migrations of its dialect.
type MigrationState struct {
	// Applied lists the versions recorded as applied, oldest first.
	Applied []string
	// Pending lists the migration files not applied yet, in order.
	Pending []string
}

// Current is the version of the last applied migration, or "" if none.
func (m *MigrationState) Current() string {
	if len(m.Applied) == 0 {
		return ""
	}
	return m.Applied[len(m.Applied)-1]
}

// MigrationStatus reports which embedded migrations the store has applied
// and which are pending. It changes nothing.
func MigrationStatus(ctx context.Context, s *Store) (*MigrationState, error) {
	fsys, err := Migrations(s.Dialect)
	if err != nil {
		return nil, err
	}
	dir, err := loadDir(fsys)
	if err != nil {
		return nil, err
	}
	drv, err := atlasDriver(s.Dialect, s.DB)
	if err != nil {
		return nil, err
	}
	rrw := &revisions{conn: s.DB, dialect: s.Dialect}
	ex, err := migrate.NewExecutor(drv, dir, rrw)
	if err != nil {
		return nil, err
	}
	return migrationState(ctx, ex, rrw, s.Dialect)
}

// migrationState reads the revisions and the pending files.
func migrationState(ctx context.Context, ex *migrate.Executor, rrw *revisions, dia string) (*MigrationState, error) {
	revs, err := rrw.ReadRevisions(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading %s migration revisions: %w", dia, err)
	}
	st := &MigrationState{}
	for _, r := range revs {
		st.Applied = append(st.Applied, r.Version)
	}
	pending, err := ex.Pending(ctx)
	if err != nil && !errors.Is(err, migrate.ErrNoPendingFiles) {
		return nil, pendingError(dia, err)
	}
	for _, f := range pending {
		st.Pending = append(st.Pending, f.Name())
	}
	return st, nil
}
