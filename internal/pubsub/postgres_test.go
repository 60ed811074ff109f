package pubsub_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/pubsub"
)

// logBuffer collects log output for assertions; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// process is one Hub process's view of a PostgreSQL test database: its
// own connection pool and its own Postgres PubSub.
type process struct {
	db  *sql.DB
	ps  *pubsub.Postgres
	log *logBuffer
}

// startProcess opens a pool and a Postgres PubSub on dbURL; the listener
// connection carries application_name app.
func startProcess(t *testing.T, dbURL, app string, opts ...pubsub.Option) *process {
	t.Helper()
	sqlDB, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	p := &process{db: sqlDB, log: &logBuffer{}}
	logger := slog.New(slog.NewTextHandler(p.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	opts = append([]pubsub.Option{pubsub.WithLogger(logger), pubsub.WithReconnect(10*time.Millisecond, 200*time.Millisecond)}, opts...)
	p.ps, err = pubsub.NewPostgres(ctx, withAppName(t, dbURL, app), sqlDB, opts...)
	if err != nil {
		t.Fatalf("NewPostgres: %v", err)
	}
	t.Cleanup(func() {
		if err := p.ps.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

func withAppName(t *testing.T, dbURL, app string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestPostgresEveryProcessReceivesEveryEvent(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	a, b := startProcess(t, dbURL, "hub_a"), startProcess(t, dbURL, "hub_b")
	ctx := context.Background()
	subA, subB := subscribe(t, a.ps, ctx, "post:1"), subscribe(t, b.ps, ctx, "post:1")
	other := subscribe(t, b.ps, ctx, "post:2")

	publish(t, a.ps, event("post:1", 1))
	publish(t, b.ps, event("post:1", 2))
	for _, sub := range []*pubsub.Subscription{subA, subB} {
		for _, want := range []string{`{"id":1}`, `{"id":2}`} {
			if ev := receive(t, sub); ev.Topic != "post:1" || string(ev.Payload) != want {
				t.Fatalf("got %s %s, want post:1 %s", ev.Topic, ev.Payload, want)
			}
		}
	}
	expectNone(t, other)
}

func TestPostgresPublishTx(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	a, b := startProcess(t, dbURL, "hub_a"), startProcess(t, dbURL, "hub_b")
	ctx := context.Background()
	subs := []*pubsub.Subscription{subscribe(t, a.ps, ctx, "news"), subscribe(t, b.ps, ctx, "news")}

	rolledBack := beginTx(t, a.db)
	if err := a.ps.PublishTx(ctx, rolledBack, event("news", 1)); err != nil {
		t.Fatal(err)
	}
	if err := rolledBack.Rollback(); err != nil {
		t.Fatal(err)
	}

	committed := beginTx(t, a.db)
	if err := a.ps.PublishTx(ctx, committed, event("news", 3)); err != nil {
		t.Fatal(err)
	}
	publish(t, b.ps, event("news", 2)) // published while the transaction is open
	if err := committed.Commit(); err != nil {
		t.Fatal(err)
	}
	// Everyone gets 2 then 3 and nothing else: the rolled-back event never
	// came, the transaction's came on commit, not when it was queued.
	for _, sub := range subs {
		for _, want := range []string{`{"id":2}`, `{"id":3}`} {
			if ev := receive(t, sub); string(ev.Payload) != want {
				t.Fatalf("got %s, want %s", ev.Payload, want)
			}
		}
	}
	publish(t, a.ps, event("news", 4)) // a marker: nothing came between
	for _, sub := range subs {
		if ev := receive(t, sub); string(ev.Payload) != `{"id":4}` {
			t.Fatalf("got %s, want the marker", ev.Payload)
		}
	}
}

func beginTx(t *testing.T, sqlDB *sql.DB) *sql.Tx {
	t.Helper()
	tx, err := sqlDB.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// TestPostgresPublishAfterCommit uses the generated Ent client, as the
// mutations do through entgql.Transactioner.
func TestPostgresPublishAfterCommit(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	store, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	a, b := startProcess(t, dbURL, "hub_a"), startProcess(t, dbURL, "hub_b")
	subs := []*pubsub.Subscription{subscribe(t, a.ps, context.Background(), "news"), subscribe(t, b.ps, context.Background(), "news")}

	ctx, tx := openTx(t, store.Client)
	if err := pubsub.PublishAfterCommit(ctx, a.ps, event("news", 1)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	ctx, tx = openTx(t, store.Client)
	if err := pubsub.PublishAfterCommit(ctx, a.ps, event("news", 3)); err != nil {
		t.Fatal(err)
	}
	// Without a transaction in the context: at once, so before 3.
	if err := pubsub.PublishAfterCommit(context.Background(), a.ps, event("news", 2)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		for _, want := range []string{`{"id":2}`, `{"id":3}`} {
			if ev := receive(t, sub); string(ev.Payload) != want {
				t.Fatalf("got %s, want %s", ev.Payload, want)
			}
		}
	}
}

// noExecDriver hides ExecContext from its transactions, as a
// statement-counting or logging wrapper may.
type noExecDriver struct{ dialect.Driver }

type noExecTx struct{ dialect.Tx }

func (d noExecDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	return noExecTx{tx}, err
}

// TestPostgresPublishAfterCommitFallback: when the transaction cannot run
// NOTIFY itself, the event still goes out after the commit only.
func TestPostgresPublishAfterCommitFallback(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	store, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	client := ent.NewClient(ent.Driver(noExecDriver{store.Driver}))
	a := startProcess(t, dbURL, "hub_a")
	sub := subscribe(t, a.ps, context.Background(), "news")

	for _, commit := range []bool{false, true} {
		ctx, tx := openTx(t, client)
		if err := pubsub.PublishAfterCommit(ctx, a.ps, event("news", 1)); err != nil {
			t.Fatal(err)
		}
		expectNone(t, sub)
		end := tx.Rollback
		if commit {
			end = tx.Commit
		}
		if err := end(); err != nil {
			t.Fatal(err)
		}
	}
	publish(t, a.ps, event("news", 2))
	for _, want := range []string{`{"id":1}`, `{"id":2}`} { // once, from the commit
		if ev := receive(t, sub); string(ev.Payload) != want {
			t.Fatalf("got %s, want %s", ev.Payload, want)
		}
	}
}

func TestPostgresRefusesLargeEvents(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	a := startProcess(t, dbURL, "hub_a")
	sub := subscribe(t, a.ps, context.Background(), "news")
	big := pubsub.Event{Topic: "news", Payload: json.RawMessage(`"` + strings.Repeat("x", 8000) + `"`)}
	if err := a.ps.Publish(context.Background(), big); !errors.Is(err, pubsub.ErrEventTooLarge) {
		t.Fatalf("Publish of %d bytes: %v, want ErrEventTooLarge", big.Size(), err)
	}
	// The largest event that fits goes through PostgreSQL.
	largest := pubsub.Event{Topic: "news"}
	largest.Payload = json.RawMessage(`"` + strings.Repeat("x", pubsub.MaxEventSize-largest.Size()-len(`,"payload":""`)) + `"`)
	publish(t, a.ps, largest)
	if ev := receive(t, sub); ev.Size() != pubsub.MaxEventSize {
		t.Fatalf("received %d bytes, want %d", ev.Size(), pubsub.MaxEventSize)
	}
}

// TestPostgresListenerReconnects kills one process's listening connection,
// as a database restart would, and checks that its subscriptions survive
// and receive what is published once it is back.
func TestPostgresListenerReconnects(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	a, b := startProcess(t, dbURL, "hub_a"), startProcess(t, dbURL, "hub_b")
	sub := subscribe(t, a.ps, context.Background(), "news")
	probes := subscribe(t, a.ps, context.Background(), "probe")

	killed := terminate(t, b.db, "hub_a")
	if killed != 1 {
		t.Fatalf("terminated %d listener connections, want 1", killed)
	}
	// Events published before the listener is back are lost to it; probe
	// until one arrives.
	waitForProbe(t, b.ps, probes)
	publish(t, b.ps, event("news", 1))
	if ev := receive(t, sub); string(ev.Payload) != `{"id":1}` {
		t.Fatalf("got %s after reconnecting", ev.Payload)
	}
	if sub.Err() != nil {
		t.Fatalf("subscription ended: %v", sub.Err())
	}
	for _, want := range []string{"listener disconnected", "listener reconnected"} {
		if !strings.Contains(a.log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, a.log.String())
		}
	}
	t.Logf("process a logged:\n%s", a.log)
}

func TestPostgresIgnoresMalformedNotifications(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	a := startProcess(t, dbURL, "hub_a")
	sub := subscribe(t, a.ps, context.Background(), "news")
	for _, junk := range []string{"junk", `{"topic":""}`, `{"topic":"news","payload":{`} {
		if _, err := a.db.Exec("SELECT pg_notify('hub_events', $1)", junk); err != nil {
			t.Fatal(err)
		}
	}
	publish(t, a.ps, event("news", 1))
	if ev := receive(t, sub); string(ev.Payload) != `{"id":1}` {
		t.Fatalf("got %s", ev.Payload)
	}
	if n := strings.Count(a.log.String(), "malformed notification"); n != 3 {
		t.Errorf("logged %d malformed notifications, want 3:\n%s", n, a.log)
	}
}

// terminate ends the backends of the test database named app and returns
// how many it ended.
func terminate(t *testing.T, sqlDB *sql.DB, app string) int {
	t.Helper()
	var n int
	err := sqlDB.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = $1`, app).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitForProbe publishes probe events until sub receives one.
func waitForProbe(t *testing.T, ps pubsub.PubSub, sub *pubsub.Subscription) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		publish(t, ps, event("probe", 0))
		select {
		case <-sub.C:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatal("the listener did not come back")
}

func TestPostgresClose(t *testing.T) {
	dbURL := dbtest.URL(t, "postgres")
	before := runtime.NumGoroutine()
	sqlDB, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := pubsub.NewPostgres(context.Background(), dbURL, sqlDB, pubsub.WithPingInterval(time.Millisecond),
		pubsub.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	sub := subscribe(t, ps, context.Background(), "news")
	publish(t, ps, event("news", 1))
	receive(t, sub)
	time.Sleep(20 * time.Millisecond) // let a few pings run
	if err := ps.Close(); err != nil {
		t.Fatal(err)
	}
	expectEnd(t, sub, pubsub.ErrClosed)
	if err := ps.Publish(context.Background(), event("news", 2)); !errors.Is(err, pubsub.ErrClosed) {
		t.Errorf("Publish after Close: %v", err)
	}
	if err := ps.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	_ = sqlDB.Close()
	noLeak(t, before)
}

// TestNewPostgresGivesUp needs no server: with the database unreachable,
// NewPostgres returns when its context ends and leaves nothing running.
func TestNewPostgresGivesUp(t *testing.T) {
	before := runtime.NumGoroutine()
	const dsn = "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"
	sqlDB, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	logs := &logBuffer{}
	ps, err := pubsub.NewPostgres(ctx, dsn, sqlDB, pubsub.WithReconnect(10*time.Millisecond, 50*time.Millisecond),
		pubsub.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err == nil {
		_ = ps.Close()
		t.Fatal("NewPostgres succeeded without a server")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	if !strings.Contains(logs.String(), "connection attempt failed") {
		t.Errorf("failed attempts not logged:\n%s", logs)
	}
	_ = sqlDB.Close()
	noLeak(t, before)
}

func TestNewPostgresRefusesBadChannel(t *testing.T) {
	_, err := pubsub.NewPostgres(context.Background(), "postgres://127.0.0.1:1/x", nil, pubsub.WithChannel(`Hub"Events`))
	if err == nil {
		t.Fatal("bad channel accepted")
	}
}

// BenchmarkPostgresRoundTrip measures one event's way through PostgreSQL:
// pg_notify in autocommit, then LISTEN, decoding and local delivery.
func BenchmarkPostgresRoundTrip(b *testing.B) {
	dbURL := dbtest.URL(b, "postgres")
	sqlDB, err := sql.Open("postgres", dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer sqlDB.Close()
	ps, err := pubsub.NewPostgres(context.Background(), dbURL, sqlDB, pubsub.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	defer ps.Close()
	sub := subscribe(b, ps, context.Background(), "news")
	ev := event("news", 1)
	b.ReportAllocs()
	for b.Loop() {
		publish(b, ps, ev)
		receive(b, sub)
	}
}
