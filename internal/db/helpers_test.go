package db_test

import (
	"context"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/ent/migrate"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// migrations returns the embedded migration directory of the dialect.
func migrations(t testing.TB, dia string) fs.FS {
	t.Helper()
	fsys, err := db.Migrations(dia)
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// openEmpty opens a store on a fresh database without migrating it.
func openEmpty(t *testing.T, dia string) *db.Store {
	t.Helper()
	store, err := db.Open(dbtest.URL(t, dia))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// sqlFiles lists the migration files of fsys in order.
func sqlFiles(t testing.TB, fsys fs.FS) []string {
	t.Helper()
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

// copyFS copies a flat directory into a map the test may change.
func copyFS(t testing.TB, fsys fs.FS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	return m
}

// withFile returns a copy of fsys with one more migration file and an
// atlas.sum that accounts for it.
func withFile(t testing.TB, fsys fs.FS, name, content string) fstest.MapFS {
	t.Helper()
	m := copyFS(t, fsys)
	m[name] = &fstest.MapFile{Data: []byte(content)}
	dir := &atlasmigrate.MemDir{}
	for _, f := range sqlFiles(t, m) {
		if err := dir.WriteFile(f, m[f].Data); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := dir.Checksum()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sum.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	m[atlasmigrate.HashFileName] = &fstest.MapFile{Data: b}
	return m
}

// tableNames lists the store's tables, but for the migration revisions
// and SQLite's own, sorted and comma-separated. The search index
// (search_documents, an FTS5 table on SQLite, with its shadow tables) is
// written by hand-made migrations outside the Ent schema and left out.
func tableNames(t testing.TB, store *db.Store) string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'atlas_schema_revisions'
		AND name NOT LIKE 'search_documents%' ORDER BY name`
	if store.Dialect == dialect.Postgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
			AND tablename NOT LIKE 'search_documents%' ORDER BY tablename`
	}
	rows, err := store.DB.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, ", ")
}

// entTableNames lists the tables of the Ent schema like tableNames.
func entTableNames() string {
	var names []string
	for _, tbl := range migrate.Tables {
		names = append(names, tbl.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// dirText concatenates the files of a migration directory.
func dirText(t testing.TB, dir *atlasmigrate.MemDir) string {
	t.Helper()
	files, err := dir.Files()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range files {
		b.WriteString("-- " + f.Name() + "\n" + string(f.Bytes()))
	}
	return b.String()
}
