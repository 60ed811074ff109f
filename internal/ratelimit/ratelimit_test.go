package ratelimit_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/throttled/throttled/v2"
	"github.com/throttled/throttled/v2/store/storetest"

	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/ratelimit"
)

// TestPostgresStore runs throttled's conformance tests of a GCRA store on
// the rate_limits table.
func TestPostgresStore(t *testing.T) {
	if len(dbtest.Dialects()) < 2 {
		t.Skip("PostgreSQL not configured")
	}
	store := dbtest.Open(t, "postgres")
	storetest.TestGCRAStoreCtx(t, ratelimit.Postgres(store.DB))
	storetest.TestGCRAStoreTTLCtx(t, ratelimit.Postgres(store.DB))
}

// TestChargeSpendsTheBudget charges a budget of 10 points per hour on
// each store: operations run until their points would overdraw it, and
// the headers say so.
func TestChargeSpendsTheBudget(t *testing.T) {
	stores := map[string]func(t *testing.T) throttled.GCRAStoreCtx{
		"in process": func(t *testing.T) throttled.GCRAStoreCtx {
			st, err := ratelimit.InProcess(100)
			if err != nil {
				t.Fatal(err)
			}
			return st
		},
		"postgres": func(t *testing.T) throttled.GCRAStoreCtx {
			if len(dbtest.Dialects()) < 2 {
				t.Skip("PostgreSQL not configured")
			}
			return ratelimit.Postgres(dbtest.Open(t, "postgres").DB)
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			l, err := ratelimit.New(open(t), ratelimit.Policy{Name: ratelimit.User, Points: 10, Window: time.Hour},
				ratelimit.Policy{Name: ratelimit.Anonymous})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, enforced, _ := l.Charge(ctx, ratelimit.Anonymous, "192.0.2.1", 1); enforced {
				t.Error("a policy of no points is enforced")
			}
			for i, want := range []int{6, 2, 0} { // 4 + 4 + 2 points
				r, _, err := l.Charge(ctx, ratelimit.User, "1", []int{4, 4, 2}[i])
				if err != nil || !r.Allowed || r.Remaining != want {
					t.Fatalf("charge %d: %+v %v; want allowed with %d left", i, r, err, want)
				}
			}
			r, _, err := l.Charge(ctx, ratelimit.User, "1", 1)
			if err != nil || r.Allowed || r.RetryAfter <= 0 || r.RetryAfter > 6*time.Minute {
				t.Fatalf("overdraft: %+v %v; want refused, retry within one point's refill (6 min)", r, err)
			}
			h := http.Header{}
			r.SetHeaders(h)
			if h.Get("RateLimit-Policy") != `"user";q=10;w=3600` || h.Get("RateLimit")[:12] != `"user";r=0;t` || h.Get("Retry-After") == "" {
				t.Errorf("headers %v", h)
			}
			if other, _, _ := l.Charge(ctx, ratelimit.User, "2", 10); !other.Allowed {
				t.Error("another user's budget was spent too")
			}
			if whole, _, _ := l.Charge(ctx, ratelimit.User, "3", 11); whole.Allowed {
				t.Error("an operation dearer than the whole budget ran")
			}
		})
	}
}

// TestPoints checks GitHub's rule: one point per 100 of cost, at least 1.
func TestPoints(t *testing.T) {
	for cost, want := range map[int]int{0: 1, 1: 1, 100: 1, 101: 2, 10000: 100} {
		if got := ratelimit.Points(cost); got != want {
			t.Errorf("Points(%d) = %d, want %d", cost, got, want)
		}
	}
}
