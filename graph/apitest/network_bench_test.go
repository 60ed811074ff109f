package apitest

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// BenchmarkNetwork sends municipalityNetwork (depth 2) and partnershipPath
// over HTTP to the Hub on hub_bench (see BenchmarkMapQuery), anonymously,
// one request at a time, each from another town with partnerships, and
// reports p50 and p99 latencies:
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkNetwork -benchtime 500x -timeout 30m
func BenchmarkNetwork(b *testing.B) {
	store := benchStore(b)
	endpoint := unlimitedServer(b, store).URL + "/graphql"
	towns, err := store.Client.Municipality.Query().Where(municipality.HasUaPartnerships()).
		Order(municipality.ByID()).Limit(1000).IDs(sys())
	if err != nil || len(towns) < 2 {
		b.Fatalf("towns with partnerships: %d, %v", len(towns), err)
	}
	for _, bc := range []struct {
		name  string
		query string
		vars  func(i int) map[string]any
	}{
		{"depth 2", `query($id: ID!) { municipalityNetwork(id: $id, depth: 2) { municipalities { id name } partnerships { id } truncated } }`,
			func(i int) map[string]any { return map[string]any{"id": strconv.Itoa(towns[i%len(towns)])} }},
		{"path", `query($a: ID!, $b: ID!) { partnershipPath(fromId: $a, toId: $b) { length municipalities { id name } } }`,
			func(i int) map[string]any {
				return map[string]any{"a": strconv.Itoa(towns[i%len(towns)]), "b": strconv.Itoa(towns[(i*7+1)%len(towns)])}
			}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			gqltest.Post(b, endpoint, bc.query, bc.vars(0), nil).NoErrors(b)
			latencies := make([]time.Duration, 0, b.N)
			i := 0
			for b.Loop() {
				body, err := json.Marshal(gqltest.Params{Query: bc.query, Variables: bc.vars(i)})
				if err != nil {
					b.Fatal(err)
				}
				i++
				start := time.Now()
				post(b, endpoint, body, nil)
				latencies = append(latencies, time.Since(start))
			}
			reportLatencies(b, latencies)
		})
	}
}
