package matchsql

// BenchmarkSuggest measures one municipality's top 20 among 100,000
// candidates: the synthetic graph of 154,000 municipalities (100,100 of
// them in the EU, each with its offers, a quarter with a matchmaking
// profile) and 200,000 partnerships, on a SQLite file and on PostgreSQL.
// It measures, it does not assert; it reports the p50 and p99 latencies
// of Suggest over 200 Ukrainian municipalities in turn (the EU ones are
// candidates), and the same for 50 EU municipalities among 54,000
// Ukrainian candidates: through the Cache's in-memory index (what the API
// uses), and through the SQL prefilter alone (what the API uses while the
// index reloads after a change). The first run seeds the stores (minutes); later
// runs reuse them:
//
//	HUB_BENCH_SQLITE=/tmp/hub_match_bench.db \
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./internal/matchmaking/matchsql -run '^$' -bench BenchmarkSuggest -benchtime 1x -timeout 60m
//
// Either variable alone runs that store only.

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// benchSize is the synthetic graph of the benchmark: 35 % of the
// municipalities are Ukrainian, so 154,000 give 100,100 EU candidates.
var benchSize = seed.SyntheticOptions{Municipalities: 154_000, Partnerships: 200_000, Projects: 1, Activities: 1, Seed: 1}

func BenchmarkSuggest(b *testing.B) {
	stores := map[string]string{}
	if path := os.Getenv("HUB_BENCH_SQLITE"); path != "" {
		stores["sqlite"] = "sqlite://" + path
	}
	if base := os.Getenv("HUB_BENCH_POSTGRES_URL"); base != "" {
		stores["postgres"] = postgresBenchURL(b, base, "hub_match_bench")
	}
	if len(stores) == 0 || testing.Short() {
		b.Skip("set HUB_BENCH_SQLITE and/or HUB_BENCH_POSTGRES_URL to run the matchmaking benchmark")
	}
	for _, name := range []string{"sqlite", "postgres"} {
		if u, ok := stores[name]; ok {
			b.Run(name, func(b *testing.B) {
				store := benchStore(b, u)
				cache := NewCache(store.Client, slog.New(slog.DiscardHandler))
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				started := time.Now()
				if err := cache.Loaded(context.Background()); err != nil {
					b.Fatal(err)
				}
				took := time.Since(started)
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.Logf("index loaded in %s, %.1f MB of heap", took.Round(time.Millisecond), float64(after.HeapAlloc-before.HeapAlloc)/1e6)
				paths := []struct {
					name    string
					suggest func(context.Context, Query) ([]matchmaking.Suggestion, Stats, error)
				}{
					{"index", cache.Suggest},
					{"SQL", func(ctx context.Context, q Query) ([]matchmaking.Suggestion, Stats, error) {
						return Suggest(ctx, store.Client, q)
					}},
				}
				for _, path := range paths {
					for _, side := range []struct {
						name, code string
						n          int
					}{{"ukrainian target", "UA", 200}, {"EU target", "", 50}} {
						b.Run(path.name+"/"+side.name, func(b *testing.B) { measure(b, store, path.suggest, side.code, side.n) })
					}
				}
			})
		}
	}
}

// measure runs Suggest for n municipalities of a side, b.N times over,
// and reports latency percentiles and how much the prefilter read.
func measure(b *testing.B, store *db.Store, suggest func(context.Context, Query) ([]matchmaking.Suggestion, Stats, error), code string, n int) {
	ctx := authz.SystemContext(context.Background())
	targets := sample(b, ctx, store.Client, code, n)
	var took []time.Duration
	var statements, scored int
	cpu := cpuTime(b)
	b.ResetTimer()
	for range b.N {
		for _, id := range targets {
			start := time.Now()
			got, stats, err := suggest(ctx, Query{MunicipalityID: id, N: 20})
			took = append(took, time.Since(start))
			if err != nil || len(got) != 20 {
				b.Fatalf("municipality %d: %d suggestions, %v", id, len(got), err)
			}
			statements += stats.Statements
			scored += stats.Scored
		}
	}
	cpu = cpuTime(b) - cpu
	slices.Sort(took)
	ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))]) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(cpu)/1e6/float64(len(took)), "cpu-ms/op")
	b.ReportMetric(float64(statements)/float64(len(took)), "statements/op")
	b.ReportMetric(float64(scored)/float64(len(took)), "scored/op")
}

// cpuTime returns the CPU time the process has used (user and system):
// the machine is shared, so wall times include waiting for a CPU, and this
// says what a query itself costs (the benchmark runs one query at a time;
// with PostgreSQL the server's share is not counted).
func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// benchStore opens the store at u, seeding it first when it does not hold
// the benchmark's graph yet.
func benchStore(b *testing.B, u string) *db.Store {
	b.Helper()
	store, err := db.Open(u)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	ctx := authz.SystemContext(context.Background())
	if err := db.Migrate(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	n, err := store.Client.Municipality.Query().Where(municipality.HasCountryWith(country.EuMember(true))).Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if n < 100_000 {
		start := time.Now()
		opts := benchSize
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		if err := seed.Synthetic(ctx, store.Client, opts); err != nil {
			b.Fatalf("seeding: %v", err)
		}
		if _, err := store.DB.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %s in %s", db.Redact(u), time.Since(start).Round(time.Second))
	}
	return store
}

// postgresBenchURL creates database name on the server of base unless it
// exists and returns its URL.
func postgresBenchURL(b *testing.B, base, name string) string {
	b.Helper()
	admin, err := sql.Open("postgres", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(fmt.Sprintf("CREATE DATABASE %s", name)); err != nil {
			b.Fatal(err)
		}
	}
	parsed, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	parsed.Path = "/" + name
	return parsed.String()
}
