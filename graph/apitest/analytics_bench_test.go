package apitest

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// BenchmarkPartnershipStats sends grouped aggregates over HTTP to the Hub
// on its own copy of the benchmark graph (hub_bench_stats: 100,000
// municipalities, 200,000 partnerships, seeded on the first run and
// vacuumed and analysed before each), one request at a time, and reports
// the p50 and p99 latencies:
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkPartnershipStats -benchtime 500x -timeout 30m
func BenchmarkPartnershipStats(b *testing.B) {
	store := benchStoreIn(b, "hub_bench_stats")
	if _, err := store.DB.Exec("VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	endpoint := unlimitedServer(b, store).URL + "/graphql"
	secretariat := signIn(b, store)
	benchQueries(b, endpoint, []benchQuery{
		{"by EU country and phase", `{ partnershipStats(groupBy: [EU_COUNTRY, PHASE]) { keys count } }`, nil},
		{"by EU country and phase, secretariat", `{ partnershipStats(groupBy: [EU_COUNTRY, PHASE]) { keys count } }`, secretariat},
		{"by Ukrainian oblast", `{ partnershipStats(groupBy: [UA_REGION]) { keys count } }`, nil},
		{"by facilitator", `{ partnershipStats(groupBy: [FACILITATOR]) { keys count } }`, nil},
		{"by theme", `{ partnershipStats(groupBy: [THEME]) { keys count } }`, nil},
		{"projects by status and phase", `{ projectStats(groupBy: [STATUS, PHASE]) { keys count sum { budgetEur } } }`, nil},
		{"municipalities by country", `{ municipalityStats(groupBy: [COUNTRY]) { keys count sum { population } } }`, nil},
		{"programme figures", `{ programmeFigures { partnerships { live } euCountries { live } ukrainianOblasts { live } expertMissions { live } jointProjectProposals { live } peopleTrained { live } } }`, nil},
	})
}

// benchQuery is a query a benchmark sends, as the caller of header.
type benchQuery struct {
	name, query string
	header      http.Header
}

// benchQueries runs a sub-benchmark per query: it sends the query to
// endpoint one request at a time and reports the p50 and p99 latencies.
func benchQueries(b *testing.B, endpoint string, queries []benchQuery) {
	for _, bc := range queries {
		b.Run(bc.name, func(b *testing.B) {
			gqltest.Post(b, endpoint, bc.query, nil, bc.header).NoErrors(b)
			body, err := json.Marshal(gqltest.Params{Query: bc.query})
			if err != nil {
				b.Fatal(err)
			}
			latencies := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				post(b, endpoint, body, bc.header)
				latencies = append(latencies, time.Since(start))
			}
			reportLatencies(b, latencies)
		})
	}
}
