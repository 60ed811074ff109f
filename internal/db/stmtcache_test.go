package db_test

import (
	"context"
	"database/sql"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestConnectionsKeepTheirPreparedStatements checks on each store that a
// statement with arguments is prepared once per connection and reused, and
// that a cached statement still answers after its table changed shape.
func TestConnectionsKeepTheirPreparedStatements(t *testing.T) {
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			store := openEmpty(t, dia)
			ctx := context.Background()
			conn, err := store.DB.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			mustExec(t, conn, "CREATE TABLE cache_probe (a INTEGER)")
			mustExec(t, conn, "INSERT INTO cache_probe (a) VALUES (1)")
			query := "SELECT * FROM cache_probe WHERE a = ?"
			if dia == dialect.Postgres {
				query = "SELECT * FROM cache_probe WHERE a = $1"
			}
			// A read without arguments (an Ent page whose LIMIT is written
			// in its text) is prepared too.
			read := "SELECT * FROM cache_probe"
			for range 3 {
				if n := columnsOf(t, conn, query, 1); n != 1 {
					t.Fatalf("%d columns, want 1", n)
				}
				if n := columnsOf(t, conn, read); n != 1 {
					t.Fatalf("%s: %d columns, want 1", read, n)
				}
			}
			if err := conn.Raw(func(dc any) error {
				if n := db.CachedStatements(dc); n != 2 {
					t.Errorf("the connection keeps %d prepared statements, want 2", n)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			mustExec(t, conn, "ALTER TABLE cache_probe ADD COLUMN b INTEGER")
			if n := columnsOf(t, conn, query, 1); n != 2 {
				t.Errorf("after the table changed: %d columns, want 2", n)
			}
			if n := columnsOf(t, conn, read); n != 2 {
				t.Errorf("%s after the table changed: %d columns, want 2", read, n)
			}
		})
	}
}

func mustExec(t *testing.T, conn *sql.Conn, statement string) {
	t.Helper()
	if _, err := conn.ExecContext(context.Background(), statement); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}

// columnsOf runs query with args and returns how many columns its one row
// has.
func columnsOf(t *testing.T, conn *sql.Conn, query string, args ...any) int {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatalf("%s: no row", query)
	}
	return len(columns)
}
