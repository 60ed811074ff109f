// Package ratelimit limits how much each client may ask of the API: a
// budget of points per time window per signed-in user, per API key and per
// anonymous client address, spent by the estimated cost of each operation
// (GitHub's GraphQL rule: one point per 100 of cost, at least one). The
// budget refills evenly over the window: the generic cell rate algorithm
// (GCRA) of github.com/throttled/throttled, whose state lives in process
// (SQLite, a single node) or in the rate_limits table (PostgreSQL, shared
// by every replica; see Postgres).
package ratelimit

import (
	"context"
	"fmt"
	"hash/maphash"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/throttled/throttled/v2"
	"github.com/throttled/throttled/v2/store/memstore"
)

// Policy is the budget of one kind of client.
type Policy struct {
	// Name names the policy in the RateLimit headers: "user", "api-key"
	// or "anonymous".
	Name string
	// Points is the budget per Window; 0 switches the limit off.
	Points int
	// Window is the time in which a spent budget refills completely.
	Window time.Duration
}

// Names of the policies.
const (
	User      = "user"
	APIKey    = "api-key"
	Anonymous = "anonymous"
)

// CostPerPoint is how much estimated cost one point buys.
const CostPerPoint = 100

// Points returns the points an operation of the estimated cost spends:
// one per CostPerPoint, rounded up, at least one.
func Points(cost int) int {
	return max(1, (cost+CostPerPoint-1)/CostPerPoint)
}

// Limiter charges operations against their client's budget.
type Limiter struct {
	policies map[string]Policy
	gcra     map[string]*throttled.GCRARateLimiterCtx
	// stripes serialise the charges of one client in this process, so
	// that concurrent requests of a client do not race each other's
	// compare-and-swap (a loser tries again; replicas still may race).
	stripes [64]sync.Mutex
}

// maxCASAttempts is how often a charge retries a compare-and-swap that
// another replica's charge of the same client won.
const maxCASAttempts = 50

// New returns a limiter keeping its state in store (InProcess or
// Postgres) for the policies; a policy of no points is not enforced.
func New(store throttled.GCRAStoreCtx, policies ...Policy) (*Limiter, error) {
	l := &Limiter{policies: map[string]Policy{}, gcra: map[string]*throttled.GCRARateLimiterCtx{}}
	for _, p := range policies {
		if p.Points <= 0 {
			continue
		}
		if p.Window <= 0 {
			return nil, fmt.Errorf("rate limit %s: the window must be positive", p.Name)
		}
		quota := throttled.RateQuota{MaxRate: throttled.PerDuration(p.Points, p.Window), MaxBurst: p.Points - 1}
		g, err := throttled.NewGCRARateLimiterCtx(store, quota)
		if err != nil {
			return nil, fmt.Errorf("rate limit %s: %w", p.Name, err)
		}
		g.SetMaxCASAttemptsLimit(maxCASAttempts)
		l.policies[p.Name], l.gcra[p.Name] = p, g
	}
	return l, nil
}

// seed hashes client keys to their stripes.
var seed = maphash.MakeSeed()

// InProcess returns a store for the limiter's state in this process,
// keeping the state of at most maxKeys clients (the least recently seen
// are forgotten, which refills their budget).
func InProcess(maxKeys int) (throttled.GCRAStoreCtx, error) {
	return memstore.NewCtx(maxKeys)
}

// Result is the state of a client's budget after a charge.
type Result struct {
	// Policy is the policy that applied.
	Policy Policy
	// Allowed reports whether the operation may run: its points were
	// taken from the budget.
	Allowed bool
	// Remaining is the points left.
	Remaining int
	// Reset is the time until the budget is full again.
	Reset time.Duration
	// RetryAfter is, for a refused operation, the time until the budget
	// holds its points.
	RetryAfter time.Duration
}

// Charge takes points from the budget of client under the policy named,
// unless that would overdraw it. enforced is false when the policy is
// off (no Result then).
func (l *Limiter) Charge(ctx context.Context, policy, client string, points int) (r Result, enforced bool, err error) {
	g, ok := l.gcra[policy]
	if !ok {
		return Result{}, false, nil
	}
	p := l.policies[policy]
	if points > p.Points {
		// More than a whole budget could ever hold: refuse without
		// touching the state, retry never helps.
		return Result{Policy: p, RetryAfter: p.Window}, true, nil
	}
	key := policy + ":" + client
	stripe := &l.stripes[maphash.String(seed, key)%uint64(len(l.stripes))]
	stripe.Lock()
	limited, res, err := g.RateLimitCtx(ctx, key, points)
	stripe.Unlock()
	if err != nil {
		return Result{}, true, fmt.Errorf("rate limit of %s %s: %w", policy, client, err)
	}
	return Result{Policy: p, Allowed: !limited, Remaining: res.Remaining, Reset: res.ResetAfter, RetryAfter: res.RetryAfter}, true, nil
}

// SetHeaders describes r in h: RateLimit-Policy and RateLimit as the IETF
// draft (draft-ietf-httpapi-ratelimit-headers) defines them, the quota q
// in points per window w seconds, r points remaining and t seconds until
// the budget is full; and, when r refused the operation, Retry-After.
func (r Result) SetHeaders(h http.Header) {
	name := strconv.Quote(r.Policy.Name)
	h.Set("RateLimit-Policy", fmt.Sprintf("%s;q=%d;w=%d", name, r.Policy.Points, seconds(r.Policy.Window)))
	h.Set("RateLimit", fmt.Sprintf("%s;r=%d;t=%d", name, max(r.Remaining, 0), seconds(r.Reset)))
	if !r.Allowed {
		h.Set("Retry-After", strconv.Itoa(r.RetryAfterSeconds()))
	}
}

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up, at least 1.
func (r Result) RetryAfterSeconds() int { return max(1, seconds(r.RetryAfter)) }

// seconds returns d in whole seconds, rounded up.
func seconds(d time.Duration) int {
	return int((max(d, 0) + time.Second - 1) / time.Second)
}
