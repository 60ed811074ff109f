//go:build ignore

// Command migrate writes a new versioned migration, for SQLite and for
// PostgreSQL, holding the changes between the migration directories and the
// Ent schema. Run it from the module root:
//
//	go run -mod=mod ./ent/migrate/main.go <name>
//
// It replays each directory (internal/db/migrations/<dialect>) on a dev
// database, an in-memory SQLite one and a temporary database on the
// PostgreSQL server at HUB_DEV_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable), diffs the
// result against ent/schema and writes the difference with its atlas.sum.
// When nothing changed it writes nothing.
//
// After editing a migration file by hand (a data backfill, say), rewrite
// both atlas.sum files with
//
//	go run -mod=mod ./ent/migrate/main.go --hash
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/bridgesoftrust/hub/ent/migrate"
	// The dev SQLite database replays migrations that name the collation.
	_ "github.com/bridgesoftrust/hub/internal/collation"
)

// devPostgresEnv names the variable with the URL of the PostgreSQL server
// on which a temporary dev database is created.
const devPostgresEnv = "HUB_DEV_POSTGRES_URL"

const defaultDevPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// migrationsDir is the directory holding one migration directory per dialect.
var migrationsDir = filepath.Join("internal", "db", "migrations")

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)

func main() {
	if len(os.Args) != 2 || !(os.Args[1] == "--hash" || validName.MatchString(os.Args[1])) {
		slog.Error("usage: go run -mod=mod ./ent/migrate/main.go <name>|--hash  (name: lower-case letters, digits, _)")
		os.Exit(2)
	}
	var err error
	if os.Args[1] == "--hash" {
		err = rehash()
	} else {
		err = run(context.Background(), os.Args[1])
	}
	if err != nil {
		slog.Error("migrations", "err", err)
		os.Exit(1)
	}
}

// rehash rewrites the atlas.sum of both directories from their files.
func rehash() error {
	for _, dia := range []string{dialect.SQLite, dialect.Postgres} {
		dir, err := atlas.NewLocalDir(filepath.Join(migrationsDir, dirName(dia)))
		if err != nil {
			return err
		}
		sum, err := dir.Checksum()
		if err != nil {
			return err
		}
		if err := atlas.WriteSumFile(dir, sum); err != nil {
			return err
		}
		slog.Info("atlas.sum rewritten", "dialect", dia, "dir", dir.Path())
	}
	return nil
}

// run writes migration name for both dialects, sharing one version so the
// two directories stay in step. Both are planned before either is written.
func run(ctx context.Context, name string) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the module root (where go.mod is)")
	}
	version := time.Now().UTC().Format("20060102150405")
	changes := map[string]map[string][]byte{}
	for _, dia := range []string{dialect.SQLite, dialect.Postgres} {
		files, err := plan(ctx, dia, name, version)
		if err != nil {
			return fmt.Errorf("%s: %w", dia, err)
		}
		changes[dia] = files
	}
	for dia, files := range changes {
		if err := write(dia, files); err != nil {
			return err
		}
	}
	return nil
}

// plan diffs the dialect's migration directory against the Ent schema on a
// dev database and returns the files to write (none when nothing changed).
func plan(ctx context.Context, dia, name, version string) (map[string][]byte, error) {
	dir, err := loadDir(filepath.Join(migrationsDir, dirName(dia)))
	if err != nil {
		return nil, err
	}
	written := map[string][]byte{}
	dir.SyncWrites(func(name string, b []byte) error {
		written[name] = b
		return nil
	})
	dev, cleanup, err := openDev(ctx, dia)
	if err != nil {
		return nil, fmt.Errorf("opening dev database: %w", err)
	}
	defer cleanup()
	err = migrate.NewSchema(entsql.OpenDB(dia, dev)).NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dia),
		schema.WithFormatter(versionFormatter(version)),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
		schema.WithErrNoPlan(true),
	)
	if errors.Is(err, atlas.ErrNoPlan) {
		return nil, nil
	}
	return written, err
}

// loadDir reads a migration directory into memory, so nothing is written
// until every dialect has been planned.
func loadDir(path string) (*atlas.MemDir, error) {
	dir := &atlas.MemDir{}
	entries, err := os.ReadDir(path)
	if errors.Is(err, fs.ErrNotExist) {
		return dir, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(path, e.Name()))
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	return dir, nil
}

// write stores a dialect's new files on disk.
func write(dia string, files map[string][]byte) error {
	path := filepath.Join(migrationsDir, dirName(dia))
	if len(files) == 0 {
		slog.Info("schema unchanged, nothing written", "dialect", dia, "dir", path)
		return nil
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(path, name), b, 0o644); err != nil {
			return err
		}
		if name != atlas.HashFileName {
			slog.Info("migration written", "dialect", dia, "file", filepath.Join(path, name))
		}
	}
	return nil
}

// dirName is the migration directory name of an Ent dialect.
func dirName(dia string) string {
	if dia == dialect.SQLite {
		return "sqlite"
	}
	return dia
}

// versionFormatter is Atlas's default formatter with a fixed version, so
// both dialects' files of one run share their name.
type versionFormatter string

// Format implements atlas.Formatter.
func (v versionFormatter) Format(p *atlas.Plan) ([]atlas.File, error) {
	p.Version = string(v)
	return atlas.DefaultFormatter.Format(p)
}

// openDev opens an empty dev database of the dialect and returns a
// function that disposes of it.
func openDev(ctx context.Context, dia string) (*sql.DB, func(), error) {
	if dia == dialect.SQLite {
		name := fmt.Sprintf("hubdev_%d", os.Getpid())
		db, err := sql.Open("sqlite", "file:"+name+"?mode=memory&cache=shared&_pragma=foreign_keys(1)")
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(1)
		return db, func() { _ = db.Close() }, nil
	}
	return openDevPostgres(ctx)
}

// openDevPostgres creates a temporary database on the dev PostgreSQL server
// and returns it with a function that drops it.
func openDevPostgres(ctx context.Context) (*sql.DB, func(), error) {
	base := os.Getenv(devPostgresEnv)
	if base == "" {
		base = defaultDevPostgres
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("hub_migrate_dev_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		return nil, nil, fmt.Errorf("creating dev database on %s: %w", redact(base), err)
	}
	drop := func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			slog.Warn("dropping dev database", "name", name, "err", err)
		}
		_ = admin.Close()
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return nil, nil, err
	}
	u.Path = "/" + name
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { _ = db.Close(); drop() }, nil
}

// redact hides a password in a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
