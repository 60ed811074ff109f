package server_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// hub is a running test server.
type hub struct {
	url   string
	store *db.Store
	logs  *syncBuffer
	// admin signs requests in as the secretariat, who may change anything.
	admin http.Header
}

// endpoint returns the GraphQL endpoint.
func (h hub) endpoint() string { return h.url + "/graphql" }

// post posts a GraphQL query to the hub as the secretariat.
func (h hub) post(t *testing.T, query string, vars map[string]any) *gqltest.Response {
	t.Helper()
	return gqltest.Post(t, h.endpoint(), query, vars, h.admin)
}

// postWith posts a GraphQL query with extra headers.
func (h hub) postWith(t *testing.T, query string, hdr http.Header) *gqltest.Response {
	t.Helper()
	return gqltest.Post(t, h.endpoint(), query, nil, hdr)
}

// stringsReader returns a reader of s.
func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// startHub serves store over real HTTP with the default configuration,
// changed by configure (may be nil), and the options.
func startHub(t *testing.T, store *db.Store, configure func(*server.Config), opts ...server.Option) hub {
	t.Helper()
	cfg := server.DefaultConfig()
	if configure != nil {
		configure(&cfg)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(server.New(cfg, store, logger, opts...).Handler())
	t.Cleanup(srv.Close)
	return hub{url: srv.URL, store: store, logs: logs, admin: authtest.Secretariat(t, store)}
}

// sqliteHub is a hub over a fresh in-memory SQLite store, for tests that
// do not depend on the database.
func sqliteHub(t *testing.T, configure func(*server.Config), opts ...server.Option) hub {
	t.Helper()
	return startHub(t, dbtest.Open(t, "sqlite"), configure, opts...)
}

// wantCode fails unless resp is refused with code and a status that is
// not a server error.
func wantCode(t *testing.T, resp *gqltest.Response, code string) {
	t.Helper()
	if resp.Code() != code {
		t.Fatalf("want code %s, got status %d body %.500s", code, resp.Status, resp.Body)
	}
	if resp.Status >= 500 {
		t.Fatalf("want no server error for %s, got status %d", code, resp.Status)
	}
}

// stillAnswers fails unless the hub answers a small query.
func stillAnswers(t *testing.T, h hub) {
	t.Helper()
	resp := h.post(t, `{ countries(first: 1) { totalCount } }`, nil)
	resp.NoErrors(t)
}

// createCountry creates a country through the API and returns its id.
func createCountry(t *testing.T, h hub, code, name string, eu bool) string {
	t.Helper()
	resp := h.post(t, `mutation($in: CreateCountryInput!) { createCountry(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"code": code, "name": name, "euMember": eu}})
	resp.NoErrors(t)
	var data struct{ CreateCountry struct{ ID string } }
	resp.Decode(t, &data)
	return data.CreateCountry.ID
}

// countCountries returns the number of countries through the API.
func countCountries(t *testing.T, h hub) int {
	t.Helper()
	resp := h.post(t, `{ countries { totalCount } }`, nil)
	resp.NoErrors(t)
	var data struct{ Countries struct{ TotalCount int } }
	resp.Decode(t, &data)
	return data.Countries.TotalCount
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the log lines that contain all of the substrings.
func (b *syncBuffer) lines(substrings ...string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, line := range strings.Split(b.buf.String(), "\n") {
		ok := line != ""
		for _, s := range substrings {
			ok = ok && strings.Contains(line, s)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}

// await returns the log lines that contain all of the substrings, waiting
// up to five seconds for the first: the access log line of a request is
// written just after its response.
func (b *syncBuffer) await(substrings ...string) []string {
	deadline := time.Now().Add(5 * time.Second)
	for {
		lines := b.lines(substrings...)
		if len(lines) > 0 || time.Now().After(deadline) {
			return lines
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// header builds an http.Header from key, value pairs.
func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}
