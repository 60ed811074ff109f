// Package dbtest gives tests a fresh, migrated Hub store on each database
// the Hub supports: in-memory SQLite always, and PostgreSQL when
// HUB_TEST_POSTGRES_URL names a server (CI sets it).
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/testnotice"
)

// PostgresEnv names the environment variable with the PostgreSQL server URL
// for integration tests, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const PostgresEnv = "HUB_TEST_POSTGRES_URL"

var (
	counter  atomic.Int64
	skipOnce sync.Once
)

// Dialects lists the databases tests run on here: "sqlite" always, and
// "postgres" when PostgresEnv is set.
func Dialects() []string {
	if os.Getenv(PostgresEnv) == "" {
		skipOnce.Do(func() {
			testnotice.Print("postgres", fmt.Sprintf("PostgreSQL tests skipped: set %s=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run them", PostgresEnv))
		})
		return []string{"sqlite"}
	}
	return []string{"sqlite", "postgres"}
}

// Each runs fn as a subtest on a fresh, migrated store of every dialect.
func Each(t *testing.T, fn func(t *testing.T, store *db.Store)) {
	t.Helper()
	for _, dia := range Dialects() {
		t.Run(dia, func(t *testing.T) { fn(t, Open(t, dia)) })
	}
}

// Open returns a fresh, migrated store of the dialect, closed and dropped
// when the test ends.
func Open(t testing.TB, dialect string) *db.Store {
	t.Helper()
	store, err := db.Open(URL(t, dialect))
	if err != nil {
		t.Fatalf("opening %s store: %v", dialect, err)
	}
	t.Cleanup(func() { _ = store.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := db.Migrate(ctx, store); err != nil {
		t.Fatalf("migrating %s store: %v", dialect, err)
	}
	return store
}

// URL returns the URL of a fresh, empty database of the dialect, dropped
// when the test ends (PostgreSQL) or forgotten with its last connection
// (in-memory SQLite).
func URL(t testing.TB, dialect string) string {
	t.Helper()
	name := fmt.Sprintf("hubtest_%d_%d", os.Getpid(), counter.Add(1))
	switch dialect {
	case "sqlite":
		return "sqlite://:memory:?name=" + name
	case "postgres":
		return postgresDatabase(t, name)
	default:
		t.Fatalf("unknown dialect %q", dialect)
		return ""
	}
}

// whyCreateDB explains why the tests need a database each.
const whyCreateDB = `The PostgreSQL tests need the CREATEDB privilege (ALTER ROLE <user> CREATEDB) on the server of
HUB_TEST_POSTGRES_URL: each test gets a database of its own, dropped at its end, because a schema per
test in one database would not isolate them. The Hub's LISTEN/NOTIFY channel (subscriptions, shared by
replicas) and its advisory locks (migrations, sign-in throttle) are per database: tests in schemas of one
database would receive each other's events and wait on each other's locks.`

// postgresDatabase creates database name on the test server and returns
// its URL.
func postgresDatabase(t testing.TB, name string) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("%s is not set", PostgresEnv)
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("opening %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating test database %s: %v\n%s", name, err, whyCreateDB)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	if !strings.Contains(u.RawQuery, "sslmode") {
		q := u.Query()
		q.Set("sslmode", "disable")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
