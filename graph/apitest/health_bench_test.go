package apitest

import (
	"net/http/httptest"
	"testing"

	"github.com/bridgesoftrust/hub/internal/server"
)

// BenchmarkPartnershipHealth sends the partnership health queries over
// HTTP to the Hub on its own copy of the benchmark graph
// (hub_bench_activity: 100,000 municipalities, 200,000 partnerships),
// whose partnerships it dates a year back so that the dormant rule has
// candidates, and reports the p50 and p99 latencies:
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkPartnershipHealth -benchtime 200x -timeout 30m
func BenchmarkPartnershipHealth(b *testing.B) {
	store := benchStoreIn(b, "hub_bench_activity")
	if _, err := store.DB.Exec(`UPDATE partnerships SET created_at = created_at - interval '1 year'
		WHERE NOT EXISTS (SELECT 1 FROM partnerships WHERE created_at < now() - interval '6 months')`); err != nil {
		b.Fatal(err)
	}
	if _, err := store.DB.Exec("VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.RateLimit.Anonymous, cfg.RateLimit.User = 1<<30, 1<<30
	srv := httptest.NewServer(server.New(cfg, store, quietLogger()).Handler())
	defer srv.Close()
	secretariat := signIn(b, store)
	const page = `{ partnerships(first: 100) { edges { node { id health { lastActivityAt projectsByStatus { status count } fundingSecured } } } } }`
	benchQueries(b, srv.URL+"/graphql", []benchQuery{
		{"health of a page of 100", page, nil},
		{"health of a page of 100, secretariat", page, secretariat},
		{"dormant partnerships, secretariat", `{ dormantPartnerships(months: 6, first: 100) { totalCount edges { node { id } } } }`, secretariat},
		{"programme figures with dormant count", `{ programmeFigures { activePartnerships { live } dormantPartnerships { live } } }`, nil},
	})
}
