package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/server/explorer"
)

// TestCORSPreflight checks the preflight answer for a listed origin (with
// its lifetime, never with credentials) and for an unlisted one.
func TestCORSPreflight(t *testing.T) {
	h := sqliteHub(t, func(c *server.Config) { c.CORS.Origins = []string{"https://portal.example.org"} })
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, h.endpoint(), nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := preflight("https://portal.example.org")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://portal.example.org" {
		t.Errorf("Access-Control-Allow-Origin = %q", got)
	}
	if got := resp.Header.Get("Access-Control-Max-Age"); got != "7200" {
		t.Errorf("Access-Control-Max-Age = %q, want 7200", got)
	}
	if got := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "authorization") {
		t.Errorf("Access-Control-Allow-Headers = %q", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Access-Control-Allow-Credentials = %q; the Hub needs no credentials", got)
	}
	if got := preflight("https://evil.example").Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("an unlisted origin is allowed: %q", got)
	}

	post := h.postWith(t, `{ __typename }`, http.Header{"Origin": {"https://portal.example.org"}})
	if got := post.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "Ratelimit") && !strings.Contains(got, "RateLimit") {
		t.Errorf("Access-Control-Expose-Headers = %q, want the rate limit headers", got)
	}
}

// TestExplorerHeaders checks that the explorer's page and files carry its
// Content-Security-Policy and the API's answers their own.
func TestExplorerHeaders(t *testing.T) {
	h := sqliteHub(t, nil)
	for _, path := range []string{"/", "/explorer/graphiql.min.js", "/explorer/LICENSE.graphiql"} {
		resp, err := http.Get(h.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Security-Policy") != explorer.ContentSecurityPolicy {
			t.Errorf("%s: status %d, CSP %q", path, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
	}
	post := h.post(t, `{ __typename }`, nil)
	if csp := post.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("/graphql CSP = %q", csp)
	}
}
