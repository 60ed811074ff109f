package server_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// BenchmarkQueries measures what the server spends on abusive queries it
// refuses, and on the worst ones it still accepts, without the network:
//
//	go test ./internal/server -run '^$' -bench Queries
func BenchmarkQueries(b *testing.B) {
	store := dbtest.Open(b, "sqlite")
	handler := server.New(server.DefaultConfig(), store, slog.New(slog.DiscardHandler)).Handler()
	for name, q := range map[string]string{
		"refused/10000 repeated fields": "{" + strings.Repeat(" __typename", 10_000) + " }",
		"refused/1000 aliases":          aliases(1000),
		"refused/depth 50":              nested(50),
		"refused/fragment bomb":         fragmentBomb(40),
		"accepted/500 repeated fields":  "{" + strings.Repeat(" __typename", 499) + " }",
		"accepted/introspection":        introspectionQuery,
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				// A distinct query each time defeats the query cache.
				body, _ := json.Marshal(map[string]string{"query": q + "\n# " + strconv.Itoa(i)})
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				handler.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
