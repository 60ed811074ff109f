// Benchmarks of the community graph on PostgreSQL. They measure, they do
// not assert: run them by hand and compare runs. They skip unless
// HUB_BENCH_POSTGRES_URL names a PostgreSQL server (the database in the
// URL is only used to create others), and under -short.
//
// The map query (first: 100) through the real HTTP handler, one request at
// a time, with p50 and p99 latencies, anonymous and as the secretariat. The
// first run creates and seeds database hub_bench with the synthetic graph
// of 100,000 municipalities and 200,000 partnerships (a few minutes; later
// runs reuse it):
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkMapQuery -benchtime 2000x -timeout 30m
//
// The synthetic seed of that size into a fresh database (dropped after):
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkSyntheticSeed -benchtime 1x -timeout 30m
//
// Import rows/s (20,000-row partnerships file, internal/importer):
//
//	HUB_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./internal/importer -run '^$' -bench BenchmarkImportPartnerships -benchtime 3x
//
// The map query under concurrency: hub serve on hub_bench (seeded by
// BenchmarkMapQuery) and wrk with testdata/mapquery.lua; set HUB_TOKEN to a
// session token (the login mutation's token) to send it signed in, and
// HUB_NO_TOTAL=1 to leave out totalCount:
//
//	HUB_DATABASE_URL='postgres://postgres@127.0.0.1:5432/hub_bench?sslmode=disable' HUB_LOG_LEVEL=warn \
//	  go run ./cmd/hub serve --addr 127.0.0.1:8089 &
//	wrk -t2 -c16 -d20s --latency -s graph/apitest/testdata/mapquery.lua http://127.0.0.1:8089/graphql
//	HUB_TOKEN=... wrk -t2 -c16 -d20s --latency -s graph/apitest/testdata/mapquery.lua http://127.0.0.1:8089/graphql
package apitest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// BenchPostgresEnv names the PostgreSQL server the benchmarks use.
const BenchPostgresEnv = "HUB_BENCH_POSTGRES_URL"

// benchDatabase is the database the map query benchmark seeds once and
// reuses.
const benchDatabase = "hub_bench"

// benchSize is the synthetic graph of the benchmarks.
var benchSize = seed.SyntheticOptions{Municipalities: 100_000, Partnerships: 200_000, Seed: 1}

// benchServer returns the URL of the server behind HUB_BENCH_POSTGRES_URL
// with the database replaced by name, skipping the benchmark when the
// variable is not set or under -short.
func benchServer(b *testing.B, name string) string {
	b.Helper()
	base := os.Getenv(BenchPostgresEnv)
	if base == "" || testing.Short() {
		b.Skipf("set %s (and do not pass -short) to run the PostgreSQL benchmarks", BenchPostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatalf("parsing %s: %v", BenchPostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// adminExec runs statement on the database of HUB_BENCH_POSTGRES_URL.
func adminExec(b *testing.B, statement string) {
	b.Helper()
	admin, err := sql.Open("postgres", os.Getenv(BenchPostgresEnv))
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(statement); err != nil {
		b.Fatalf("%s: %v", statement, err)
	}
}

// benchStore opens hub_bench, creating, migrating and seeding it first
// when it does not hold the benchmark's graph yet.
func benchStore(b *testing.B) *db.Store { return benchStoreIn(b, benchDatabase) }

// benchStoreIn opens the benchmark database benchDatabase, creating,
// migrating and seeding it first when it does not hold the benchmark's
// graph yet.
func benchStoreIn(b *testing.B, benchDatabase string) *db.Store {
	b.Helper()
	dsn := benchServer(b, benchDatabase)
	admin, err := sql.Open("postgres", os.Getenv(BenchPostgresEnv))
	if err != nil {
		b.Fatal(err)
	}
	var exists bool
	err = admin.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", benchDatabase).Scan(&exists)
	admin.Close()
	if err != nil {
		b.Fatal(err)
	}
	if !exists {
		adminExec(b, "CREATE DATABASE "+benchDatabase)
	}
	store, err := db.Open(dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	ctx := context.Background()
	if err := db.Migrate(ctx, store); err != nil {
		b.Fatalf("migrating %s: %v", benchDatabase, err)
	}
	n, err := store.Client.Partnership.Query().Count(sys())
	if err != nil {
		b.Fatal(err)
	}
	if n < benchSize.Partnerships {
		b.Logf("seeding %s with %d municipalities and %d partnerships", benchDatabase, benchSize.Municipalities, benchSize.Partnerships)
		start := time.Now()
		opts := benchSize
		opts.Logger = quietLogger()
		if err := seed.Synthetic(sys(), store.Client, opts); err != nil {
			b.Fatalf("seeding %s: %v", benchDatabase, err)
		}
		if _, err := store.DB.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %s in %s", benchDatabase, time.Since(start).Round(time.Second))
	}
	return store
}

// signIn creates a secretariat account in store (a new one each run, the
// database is kept) and returns the Authorization header of its session.
func signIn(b *testing.B, store *db.Store) http.Header {
	b.Helper()
	svc := auth.New(store.Client, auth.DefaultConfig(), quietLogger())
	email := fmt.Sprintf("bench-%d@example.org", time.Now().UnixNano())
	const password = "benchmark passphrase for the hub"
	if _, err := svc.CreateUser(sys(), auth.NewUser{Email: email, DisplayName: "Benchmark", Password: password, Role: user.RoleSECRETARIAT}); err != nil {
		b.Fatalf("creating the benchmark account: %v", err)
	}
	sess, err := svc.Login(context.Background(), email, password, "192.0.2.1")
	if err != nil {
		b.Fatalf("signing in: %v", err)
	}
	return http.Header{"Authorization": {"Bearer " + sess.Token}}
}

// unlimitedServer serves the Hub on store over HTTP without the rate
// limits: a benchmark sends far more than a client's budget allows.
func unlimitedServer(b *testing.B, store *db.Store) *httptest.Server {
	cfg := server.DefaultConfig()
	cfg.RateLimit.Anonymous, cfg.RateLimit.User = 1<<30, 1<<30
	srv := httptest.NewServer(server.New(cfg, store, quietLogger()).Handler())
	b.Cleanup(srv.Close)
	return srv
}

// mapQueryWithoutTotal is mapQuery without totalCount, which counts all
// partnerships on every request.
const mapQueryWithoutTotal = `query Map($first: Int) { partnerships(first: $first) { pageInfo { hasNextPage endCursor }
	edges { node { id status startDate
		ukrainianMunicipality { id name latitude longitude region { name } country { code name } }
		europeanMunicipality { id name latitude longitude region { name } country { code name } }
		phase { name } } } } }`

// BenchmarkMapQuery sends the map query (first: 100) over HTTP to the Hub
// on hub_bench, one request at a time, and reports the p50 and p99
// latencies: anonymous, as the secretariat (authentication and the
// viewer's policies), and anonymous without totalCount.
func BenchmarkMapQuery(b *testing.B) {
	store := benchStore(b)
	srv := httptest.NewServer(server.New(benchConfig(), store, quietLogger()).Handler())
	defer srv.Close()
	endpoint := srv.URL + "/graphql"
	secretariat := signIn(b, store)
	for _, bc := range []struct {
		name   string
		query  string
		header http.Header
	}{
		{"anonymous", mapQuery, nil},
		{"secretariat", mapQuery, secretariat},
		{"anonymous without totalCount", mapQueryWithoutTotal, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			vars := map[string]any{"first": 100}
			var check mapAnswer
			resp := gqltest.Post(b, endpoint, bc.query, vars, bc.header)
			resp.NoErrors(b)
			resp.Decode(b, &check)
			if len(check.Partnerships.Edges) != 100 {
				b.Fatalf("the map query gave %d partnerships, want 100", len(check.Partnerships.Edges))
			}
			body, err := json.Marshal(gqltest.Params{Query: bc.query, Variables: vars})
			if err != nil {
				b.Fatal(err)
			}
			latencies := make([]time.Duration, 0, b.N)
			var size int64
			for b.Loop() {
				start := time.Now()
				size = post(b, endpoint, body, bc.header)
				latencies = append(latencies, time.Since(start))
			}
			reportLatencies(b, latencies)
			b.SetBytes(size)
		})
	}
}

// benchConfig is the server configuration of the benchmarks: the default
// one without the clients' query-cost budgets, which a benchmark exceeds
// within seconds.
func benchConfig() server.Config {
	cfg := server.DefaultConfig()
	cfg.RateLimit.Anonymous, cfg.RateLimit.User, cfg.RateLimit.APIKey = 1<<30, 1<<30, 1<<30
	return cfg
}

// post sends a prepared GraphQL request and reads the whole answer,
// failing unless it is a 200 without errors. It returns the body's size.
func post(b *testing.B, endpoint string, body []byte, header http.Header) int64 {
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var head [10]byte
	n, _ := io.ReadFull(resp.Body, head[:])
	rest, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || bytes.HasPrefix(head[:n], []byte(`{"errors"`)) {
		b.Fatalf("status %d, body starting %q, error %v", resp.StatusCode, head[:n], err)
	}
	return int64(n) + rest
}

// reportLatencies reports the p50 and p99 of latencies in milliseconds.
func reportLatencies(b *testing.B, latencies []time.Duration) {
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	at := func(p float64) float64 {
		i := min(len(latencies)-1, int(p*float64(len(latencies))))
		return float64(latencies[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkSyntheticSeed seeds the benchmark's synthetic graph (100,000
// municipalities, 200,000 partnerships, default projects and activities)
// into a fresh database per iteration and reports the seconds it takes.
func BenchmarkSyntheticSeed(b *testing.B) {
	name := fmt.Sprintf("hub_bench_seed_%d", os.Getpid())
	dsn := benchServer(b, name)
	var total time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		adminExec(b, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		adminExec(b, "CREATE DATABASE "+name)
		store, err := db.Open(dsn)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(context.Background(), store); err != nil {
			b.Fatal(err)
		}
		opts := benchSize
		opts.Logger = quietLogger()
		b.StartTimer()
		start := time.Now()
		if err := seed.Synthetic(sys(), store.Client, opts); err != nil {
			b.Fatalf("seeding: %v", err)
		}
		total += time.Since(start)
		b.StopTimer()
		if n := store.Client.Partnership.Query().CountX(sys()); n != benchSize.Partnerships {
			b.Fatalf("seeded %d partnerships, want %d", n, benchSize.Partnerships)
		}
		_ = store.Close()
		b.StartTimer()
	}
	b.StopTimer()
	adminExec(b, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/seed")
	b.ReportMetric(float64(benchSize.Partnerships*b.N)/total.Seconds(), "partnerships/s")
}
