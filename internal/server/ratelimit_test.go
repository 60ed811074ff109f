package server_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
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

// rateLimited configures budgets of n points per minute (one point every
// 60/n seconds).
func rateLimited(n int) func(*server.Config) {
	return func(c *server.Config) {
		c.RateLimit = server.RateLimitConfig{User: n, APIKey: n, Anonymous: n, Window: time.Minute}
	}
}

// TestRateLimitUnderLoad sends anonymous requests from eight clients at
// once, three times the budget: the budget's worth run (and what refilled
// meanwhile), the rest answer 429 with Retry-After and the RateLimit
// headers, and after Retry-After requests run again.
func TestRateLimitUnderLoad(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		const budget = 20
		h := startHub(t, store, rateLimited(budget))
		start := time.Now()
		results := make(chan *gqltest.Response, 3*budget)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 3 * budget / 8 {
					results <- gqltest.Post(t, h.endpoint(), `{ __typename }`, nil, nil)
				}
			})
		}
		wg.Wait()
		close(results)
		refilled := int(time.Since(start)/(time.Minute/budget)) + 1
		allowed, retryAfter := 0, 0
		for resp := range results {
			switch resp.Status {
			case http.StatusOK:
				allowed++
				if !strings.HasPrefix(resp.Header.Get("RateLimit"), `"anonymous";r=`) ||
					resp.Header.Get("RateLimit-Policy") != `"anonymous";q=20;w=60` {
					t.Errorf("headers of an allowed request: %v", resp.Header)
				}
			case http.StatusTooManyRequests:
				s, err := strconv.Atoi(resp.Header.Get("Retry-After"))
				if err != nil || s < 1 || s > 3 || resp.Code() != "TOO_MANY_REQUESTS" || len(resp.Data) > 0 ||
					!strings.HasPrefix(resp.Header.Get("RateLimit"), `"anonymous";r=0;t=`) {
					t.Errorf("a refused request: Retry-After %q, headers %v, body %s", resp.Header.Get("Retry-After"), resp.Header, resp.Body)
				}
				retryAfter = max(retryAfter, s)
			default:
				t.Errorf("status %d: %s", resp.Status, resp.Body)
			}
		}
		if allowed < budget || allowed > budget+refilled {
			t.Errorf("%d of %d requests ran; want the budget of %d (+%d refilled)", allowed, 3*budget, budget, refilled)
		}
		if retryAfter == 0 {
			t.Fatal("no request was refused")
		}
		time.Sleep(time.Duration(retryAfter) * time.Second)
		if resp := gqltest.Post(t, h.endpoint(), `{ __typename }`, nil, nil); resp.Status != http.StatusOK {
			t.Errorf("after Retry-After: %d %s", resp.Status, resp.Body)
		}
	})
}

// TestRateLimitSharedByReplicas serves one PostgreSQL database from two
// Hub servers: a signed-in user's budget is spent across both.
func TestRateLimitSharedByReplicas(t *testing.T) {
	if len(dbtest.Dialects()) < 2 {
		t.Skip("PostgreSQL not configured: replicas share a budget only there (on SQLite the budget is in process)")
	}
	store := dbtest.Open(t, "postgres")
	cfg := server.DefaultConfig()
	rateLimited(10)(&cfg)
	var urls []string
	for range 2 {
		srv := httptest.NewServer(server.New(cfg, store, slog.New(slog.DiscardHandler)).Handler())
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL+"/graphql")
	}
	user := authtest.Secretariat(t, store)
	allowed := 0
	for i := range 20 {
		resp := gqltest.Post(t, urls[i%2], `{ me { id } }`, nil, user)
		if resp.Status == http.StatusOK {
			allowed++
		}
	}
	// Twenty requests in well under the 6 s one point takes to refill.
	if allowed < 10 || allowed > 11 {
		t.Errorf("%d of 20 requests over two replicas ran; want the one budget of 10", allowed)
	}
}

// TestRateLimitBudgets checks that users, API keys and addresses have
// budgets of their own, that a dear operation spends more points and
// that a budget of 0 is no limit.
func TestRateLimitBudgets(t *testing.T) {
	h := sqliteHub(t, rateLimited(10))
	remaining := func(resp *gqltest.Response) string {
		_, r, _ := strings.Cut(resp.Header.Get("RateLimit"), ";r=")
		r, _, _ = strings.Cut(r, ";")
		return r
	}
	if r := remaining(h.postWith(t, `{ __typename }`, nil)); r != "9" {
		t.Errorf("anonymous after one point: %s left", r)
	}
	if r := remaining(h.post(t, `{ __typename }`, nil)); r != "9" {
		t.Errorf("the secretariat after one point: %s left, not charged for anonymous callers", r)
	}
	// Fields times page sizes: a cost of several hundred, several points.
	if r, _ := strconv.Atoi(remaining(h.post(t, `{ countries(first: 100) { edges { node { code name } } } }`, nil))); r > 7 {
		t.Errorf("the secretariat after a dear operation: %d left", r)
	}
	if r := remaining(h.postWith(t, `{ __typename }`, nil)); r != "8" {
		t.Errorf("anonymous, not charged for the user: %s left", r)
	}
	off := sqliteHub(t, func(c *server.Config) { c.RateLimit.Anonymous = 0 })
	if resp := off.postWith(t, `{ __typename }`, nil); resp.Header.Get("RateLimit") != "" {
		t.Errorf("a limit of 0 answered %q", resp.Header.Get("RateLimit"))
	}
}
