// Package db opens the Hub's store: embedded SQLite by default, PostgreSQL
// when the database URL says postgres://.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/XSAM/otelsql"
	_ "github.com/lib/pq" // PostgreSQL driver, registered as "postgres".
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	_ "modernc.org/sqlite" // Pure-Go SQLite driver, registered as "sqlite".

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/credevents"
	"github.com/bridgesoftrust/hub/internal/events"
	"github.com/bridgesoftrust/hub/internal/forum"
	"github.com/bridgesoftrust/hub/internal/notify"
	"github.com/bridgesoftrust/hub/internal/search"
	// Registers hub_fold and the und-x-icu collation with the SQLite
	// driver (see internal/collation).
	_ "github.com/bridgesoftrust/hub/internal/collation"
	// Registers the schema's defaults, hooks and policies with the client;
	// without it every create fails (ent/runtime is generated apart to
	// avoid an import cycle).
	_ "github.com/bridgesoftrust/hub/ent/runtime"
)

// DefaultURL is the embedded store used when no URL is configured: a SQLite
// file in the data directory under the working directory.
const DefaultURL = "sqlite://data/hub.db"

// Store is an open database: the Ent client over it, the raw handle (for
// health checks and migrations) and its Ent dialect.
type Store struct {
	Client  *ent.Client
	DB      *sql.DB
	Dialect string
	// Driver is the Ent driver under Client (without the reconnecting
	// layer that Client has on PostgreSQL), for wrapping in tests.
	Driver *entsql.Driver
	// gate lets Client's statements into the pool in turn (gate.go).
	gate *connGate
}

// Close closes the client and the database handle.
func (s *Store) Close() error { return s.Client.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// Open opens the store that rawURL names:
//
//	sqlite://data/hub.db          a SQLite file (its directory is created)
//	sqlite://:memory:?name=x      a shared in-memory SQLite database (tests)
//	postgres://user@host/db       PostgreSQL
func Open(rawURL string, opts ...ent.Option) (*Store, error) {
	if rawURL == "" {
		rawURL = DefaultURL
	}
	driverName, dsn, dia, err := dataSource(rawURL)
	if err != nil {
		return nil, err
	}
	sqlDB, err := openSQL(driverName, dsn, dia)
	if err != nil {
		return nil, fmt.Errorf("opening %s database: %w", dia, err)
	}
	configurePool(sqlDB, dia)
	drv := entsql.OpenDB(dia, sqlDB)
	var clientDriver dialect.Driver = drv
	if dia == dialect.Postgres {
		// SQLite is embedded: it has no connection to lose.
		clientDriver = &reconnectingDriver{Driver: drv, db: sqlDB}
	}
	gate := newConnGate(DefaultMaxConns(dia))
	clientDriver = foldingDriver{gatedDriver{Driver: clientDriver, gate: gate}}
	client := NewClient(clientDriver, opts...)
	return &Store{Client: client, DB: sqlDB, Dialect: dia, Driver: drv, gate: gate}, nil
}

// NewClient returns an Ent client on drv with the hooks that belong to the
// Hub's concerns rather than to the schema: the forum's and the news'
// follow-ups, notifications, events' waiting lists, and credential changes announced to open
// websockets (through the PubSub of the writer's context), whichever
// process makes them. Every client of the Hub's stores is made here.
func NewClient(drv dialect.Driver, opts ...ent.Option) *ent.Client {
	client := ent.NewClient(append([]ent.Option{ent.Driver(drv)}, opts...)...)
	credevents.Register(client)
	forum.Register(client)
	notify.Register(client)
	// Search documents are written in the transaction of each change.
	search.Register(client, drv.Dialect())
	// A raised capacity moves people up from an event's waiting list.
	events.Use(client)
	return client
}

// traceSQL is set by TraceSQL.
var traceSQL atomic.Bool

// TraceSQL makes the stores opened from now on record each SQL statement
// as an OpenTelemetry span (github.com/XSAM/otelsql) under the span of the
// request that ran it. hub serve calls it when it exports traces; without
// it the database/sql driver is used bare.
func TraceSQL() { traceSQL.Store(true) }

// openSQL opens the database/sql handle, traced if TraceSQL was called.
// Connections cache their prepared statements (see stmtcache.go);
// PostgreSQL ones run with JIT off.
func openSQL(driverName, dsn, dia string) (*sql.DB, error) {
	var connector driver.Connector
	var err error
	switch dia {
	case dialect.Postgres:
		connector, err = postgresConnector(dsn)
	case dialect.SQLite:
		connector, err = sqliteConnector(dsn)
	}
	if err != nil {
		return nil, err
	}
	if !traceSQL.Load() {
		if connector != nil {
			return sql.OpenDB(connector), nil
		}
		return sql.Open(driverName, dsn)
	}
	system := semconv.DBSystemNamePostgreSQL
	if dia == dialect.SQLite {
		system = semconv.DBSystemNameSQLite
	}
	opts := []otelsql.Option{otelsql.WithAttributes(system),
		otelsql.WithSpanOptions(otelsql.SpanOptions{OmitConnResetSession: true, OmitRows: true, OmitConnectorConnect: true})}
	if connector != nil {
		return otelsql.OpenDB(connector, opts...), nil
	}
	return otelsql.Open(driverName, dsn, opts...)
}

// dataSource turns a Hub database URL into a driver name, its DSN and the
// Ent dialect.
func dataSource(rawURL string) (driverName, dsn, dia string, err error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		dsn, err := postgresDSN(rawURL)
		return "postgres", dsn, dialect.Postgres, err
	case strings.HasPrefix(rawURL, "sqlite://"):
		dsn, err := sqliteDSN(strings.TrimPrefix(rawURL, "sqlite://"))
		return "sqlite", dsn, dialect.SQLite, err
	default:
		return "", "", "", fmt.Errorf("database URL %q: expected sqlite://PATH or postgres://...", Redact(rawURL))
	}
}

// postgresDSN turns JIT compilation off on the Hub's connections unless the
// URL sets jit or options itself: the Hub's statements are short OLTP
// reads, which the server's default JIT would compile for hundreds of
// milliseconds each (a count over a large table crosses jit_above_cost).
// lib/pq sends URL parameters it does not know as run-time parameters.
func postgresDSN(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("database URL %q: %w", Redact(rawURL), err)
	}
	q := u.Query()
	if q.Has("jit") || q.Has("options") {
		return rawURL, nil
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// sqliteDSN builds a modernc.org/sqlite DSN with foreign keys, a busy
// timeout and, for files, write-ahead logging.
func sqliteDSN(rest string) (string, error) {
	path, query, _ := strings.Cut(rest, "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("sqlite URL parameters: %w", err)
	}
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)"
	if path == ":memory:" {
		name := params.Get("name")
		if name == "" {
			name = "hub"
		}
		return fmt.Sprintf("file:%s?mode=memory&cache=shared&%s", name, pragmas), nil
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("creating data directory: %w", err)
		}
	}
	return fmt.Sprintf("file:%s?%s&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate", path, pragmas), nil
}

// DefaultMaxConns returns the default size of the connection pool of a
// dialect: four connections per processor the Hub may use on PostgreSQL,
// at least 8 (8 on a 2-core server), and 4 on a SQLite file (one writer; a
// few readers under WAL). Statements take connections in turn (gate.go),
// so a pool smaller than the requests in flight queues them fairly: on 2
// cores, 8 connections instead of 20 gave the same or more requests a
// second on every page shape with PostgreSQL's time per page down 10-15 %
// and p99 down by a quarter to a third (README, performance). 4 measured
// about as well as 8; 8 leaves more room for a slow query.
func DefaultMaxConns(dia string) int {
	if dia == dialect.SQLite {
		return 4
	}
	return max(8, 4*runtime.GOMAXPROCS(0))
}

// SetMaxConns sets the most open connections of the store's pool; n <= 0
// keeps the dialect's default (DefaultMaxConns). Every open connection
// may stay idle (see configurePool).
func (s *Store) SetMaxConns(n int) {
	if n <= 0 {
		return
	}
	s.DB.SetMaxOpenConns(n)
	if s.gate != nil { // a Store assembled by hand in a test has none
		s.gate.resize(n)
	}
	if s.Dialect == dialect.Postgres {
		s.DB.SetMaxIdleConns(n)
	}
}

// configurePool sizes the connection pool for the dialect.
func configurePool(sqlDB *sql.DB, dia string) {
	if dia == dialect.Postgres {
		// Every open connection may stay idle: under a burst above the
		// idle bound, database/sql closed the surplus as each request
		// ended and opened new ones for the next (a backend started,
		// authenticated and its prepared statements lost each time). The
		// pool shrinks after five quiet minutes instead.
		n := DefaultMaxConns(dia)
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return
	}
	// SQLite has one writer; a few connections serve concurrent readers
	// under WAL while writers queue on the busy timeout.
	sqlDB.SetMaxOpenConns(DefaultMaxConns(dia))
}

// Redact hides a password in a database URL for messages and logs.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	return u.Redacted()
}
