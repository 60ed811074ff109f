package apitest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// BenchmarkSearch sends search queries over HTTP to the Hub on its own
// copy of the synthetic graph (database hub_bench_search, seeded on the
// first run with the search index written by the hooks; a copy of hub_bench,
// CREATE DATABASE hub_bench_search TEMPLATE hub_bench, is quicker), one
// request at a time, and reports p50 and p99 latencies per query: names,
// very short prefixes and a misspelling:
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkSearch -benchtime 500x -timeout 60m
func BenchmarkSearch(b *testing.B) {
	store := benchStoreIn(b, "hub_bench_search")
	endpoint := unlimitedServer(b, store).URL + "/graphql"
	for _, q := range []string{"kharkiv", "Харків", "municipality 1234", "zzzz", "ka", "k", "kharkvi"} {
		b.Run(q, func(b *testing.B) {
			vars := map[string]any{"q": q, "first": 20}
			gqltest.Post(b, endpoint, searchQuery, vars, nil).NoErrors(b)
			body, err := json.Marshal(gqltest.Params{Query: searchQuery, Variables: vars})
			if err != nil {
				b.Fatal(err)
			}
			latencies := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				post(b, endpoint, body, nil)
				latencies = append(latencies, time.Since(start))
			}
			reportLatencies(b, latencies)
		})
	}
}
