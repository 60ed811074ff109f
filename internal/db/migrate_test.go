package db_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	entschema "entgo.io/ent/dialect/sql/schema"

	"github.com/bridgesoftrust/hub/ent/migrate"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestMigrationsMatchEntSchema diffs the migrated database against the Ent
// schema, drops included: the migrations must leave nothing to change.
func TestMigrationsMatchEntSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := context.Background()
		dir := &atlasmigrate.MemDir{}
		err := migrate.NewSchema(entsql.OpenDB(store.Dialect, store.DB)).NamedDiff(ctx, "drift",
			entschema.WithDir(dir),
			entschema.WithMigrationMode(entschema.ModeInspect),
			entschema.WithDropColumn(true),
			entschema.WithDropIndex(true),
			entschema.WithErrNoPlan(true),
		)
		if !errors.Is(err, atlasmigrate.ErrNoPlan) {
			t.Fatalf("migrated schema differs from Ent's (err %v):\n%s", err, dirText(t, dir))
		}
		if got, want := tableNames(t, store), entTableNames(); got != want {
			t.Errorf("tables after migrating:\n got %s\nwant %s", got, want)
		}
	})
}

// TestMigrateTwiceIsNoop applies the migrations to a migrated store.
func TestMigrateTwiceIsNoop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := context.Background()
		n, err := db.ApplyMigrations(ctx, store, migrations(t, store.Dialect))
		if err != nil || n != 0 {
			t.Fatalf("second run: applied %d, err %v; want 0, nil", n, err)
		}
		st, err := db.MigrationStatus(ctx, store)
		if err != nil {
			t.Fatal(err)
		}
		files := sqlFiles(t, migrations(t, store.Dialect))
		if len(st.Pending) != 0 || len(st.Applied) != len(files) || !strings.HasPrefix(files[len(files)-1], st.Current()+"_") {
			t.Errorf("status %+v (current %q), want all of %v applied", st, st.Current(), files)
		}
	})
}

// TestMigrateFreshStore counts the files applied to an empty database.
func TestMigrateFreshStore(t *testing.T) {
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			store := openEmpty(t, dia)
			fsys := migrations(t, store.Dialect)
			st, err := db.MigrationStatus(context.Background(), store)
			if err != nil || len(st.Applied) != 0 || len(st.Pending) != len(sqlFiles(t, fsys)) {
				t.Fatalf("status of empty store: %+v, %v", st, err)
			}
			n, err := db.ApplyMigrations(context.Background(), store, fsys)
			if err != nil || n != len(sqlFiles(t, fsys)) {
				t.Fatalf("applied %d, err %v; want %d files", n, err, len(sqlFiles(t, fsys)))
			}
		})
	}
}

// TestTamperedMigrationsRefused changes a migration file or its atlas.sum
// and expects nothing to be applied.
func TestTamperedMigrationsRefused(t *testing.T) {
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			store := openEmpty(t, dia)
			for name, tamper := range map[string]func(fstest.MapFS){
				"edited file": func(m fstest.MapFS) {
					f := sqlFiles(t, m)[0]
					m[f].Data = append(m[f].Data, []byte("\nDROP TABLE countries;\n")...)
				},
				"edited sum": func(m fstest.MapFS) {
					sum := m[atlasmigrate.HashFileName].Data
					m[atlasmigrate.HashFileName].Data = []byte(strings.Replace(string(sum), "h1:", "h1:A", 1))
				},
			} {
				m := copyFS(t, migrations(t, store.Dialect))
				tamper(m)
				n, err := db.ApplyMigrations(context.Background(), store, m)
				if !errors.Is(err, atlasmigrate.ErrChecksumMismatch) || n != 0 {
					t.Errorf("%s: applied %d, err %v; want 0 and a checksum mismatch", name, n, err)
				}
			}
			if got := tableNames(t, store); got != "" {
				t.Errorf("tables after refused migrations: %s", got)
			}
		})
	}
}

// TestUnversionedDatabaseRefused migrates a database whose tables were
// created without migrations (ent's Schema.Create): it must refuse and
// say why rather than fail on "table exists".
func TestUnversionedDatabaseRefused(t *testing.T) {
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			store := openEmpty(t, dia)
			if err := store.Client.Schema.Create(context.Background()); err != nil {
				t.Fatal(err)
			}
			err := db.Migrate(context.Background(), store)
			if !errors.As(err, new(*atlasmigrate.NotCleanError)) || !strings.Contains(err.Error(), "no migration history") {
				t.Errorf("got %v, want a not-clean error explaining the missing history", err)
			}
		})
	}
}

// TestFailingMigrationRollsBack adds a migration that fails half-way: the
// error names the file and the statement, and nothing of it remains.
func TestFailingMigrationRollsBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := context.Background()
		const name = "99990101000000_broken.sql"
		m := withFile(t, migrations(t, store.Dialect), name,
			"CREATE TABLE half_done (id integer);\nSELECT no_such_column FROM countries;\n")
		n, err := db.ApplyMigrations(ctx, store, m)
		if err == nil || n != 0 || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "no_such_column") {
			t.Fatalf("applied %d, err %v; want an error naming %s and the statement", n, err, name)
		}
		if strings.Contains(tableNames(t, store), "half_done") {
			t.Error("table of the failed migration was left behind")
		}
		m = withFile(t, migrations(t, store.Dialect), name, "CREATE TABLE half_done (id integer);\n")
		if n, err := db.ApplyMigrations(ctx, store, m); err != nil || n != 1 {
			t.Fatalf("fixed migration: applied %d, err %v; want 1, nil", n, err)
		}
	})
}

// TestConcurrentMigrate starts several migrators on one empty PostgreSQL
// database at once, as replicas of `hub serve` do: the advisory lock lets
// exactly one apply each file.
func TestConcurrentMigrate(t *testing.T) {
	if len(dbtest.Dialects()) < 2 {
		t.Skip("needs PostgreSQL (" + dbtest.PostgresEnv + ")")
	}
	url := dbtest.URL(t, "postgres")
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for i := 0; i < 4; i++ {
		store, err := db.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close() })
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := db.ApplyMigrations(context.Background(), store, migrations(t, dialect.Postgres))
			if err != nil {
				t.Errorf("concurrent migrate: %v", err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if want := len(sqlFiles(t, migrations(t, dialect.Postgres))); total != want {
		t.Errorf("files applied in total: %d, want %d", total, want)
	}
}

// TestGlobalIDStarts checks that the id of each type starts in its own
// 1<<32 range (ent's globalid feature), in the database's sequences and
// for rows actually inserted.
func TestGlobalIDStarts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := privacy.DecisionContext(context.Background(), privacy.Allow)
		for _, tbl := range migrate.Tables {
			if start, ok := incrementStart(tbl); ok {
				if got := sequenceStart(t, store, tbl.Name); got>>32 != start>>32 {
					t.Errorf("%s: sequence at %d, want in range %d", tbl.Name, got, start>>32)
				}
			}
		}
		c, err := store.Client.Country.Create().SetName("Ukraine").SetCode("UA").Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p, err := store.Client.Phase.Create().SetName("pilot").Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range []struct {
			tbl *entschema.Table
			id  int
		}{{migrate.CountriesTable, c.ID}, {migrate.PhasesTable, p.ID}} {
			start, _ := incrementStart(row.tbl)
			if start == 0 || int64(row.id)>>32 != start>>32 {
				t.Errorf("%s: first id %d (type %d), want type index %d", row.tbl.Name, row.id, row.id>>32, start>>32)
			}
		}
	})
}

func incrementStart(tbl *entschema.Table) (int64, bool) {
	if tbl.Annotation == nil || tbl.Annotation.IncrementStart == nil {
		return 0, false
	}
	return int64(*tbl.Annotation.IncrementStart), true
}

// sequenceStart reads where the table's id sequence stands: the start of
// the identity on PostgreSQL, sqlite_sequence on SQLite (0 without a row).
func sequenceStart(t *testing.T, store *db.Store, table string) int64 {
	t.Helper()
	q := "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)"
	if store.Dialect == dialect.Postgres {
		q = "SELECT seqstart FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence($1, 'id')::regclass"
	}
	var v int64
	if err := store.DB.QueryRow(q, table).Scan(&v); err != nil {
		t.Fatalf("reading id sequence of %s: %v", table, err)
	}
	return v
}
