package auth

import (
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// ThrottleConfig sets how failed logins are slowed and then refused.
type ThrottleConfig struct {
	// Window is the period over which failures are counted.
	Window time.Duration
	// PerAccount and PerAddress are the failures allowed in a window for one
	// e-mail address and one client address; the next attempt is refused
	// without checking the password until the oldest failure leaves the window.
	PerAccount, PerAddress int
	// SlowAfter failures, each further answer waits SlowStep more (at most
	// SlowMax), which slows guessing without locking anyone out.
	SlowAfter int
	SlowStep  time.Duration
	SlowMax   time.Duration
}

// DefaultThrottle allows 10 failures a minute per account and 50 per client
// address, slowing answers from the fourth failure on.
func DefaultThrottle() ThrottleConfig {
	return ThrottleConfig{Window: time.Minute, PerAccount: 10, PerAddress: 50,
		SlowAfter: 3, SlowStep: 200 * time.Millisecond, SlowMax: 2 * time.Second}
}

// throttle counts recent failed logins per key, and logins under way as
// failures until they succeed (see begin). The failure lists live in
// an expiring LRU (golang-lru), so memory stays bounded however many
// addresses try; the sliding-window count on top is the Hub's own policy.
type throttle struct {
	cfg   ThrottleConfig
	mu    sync.Mutex
	fails *expirable.LRU[string, []time.Time]
	now   func() time.Time
}

func newThrottle(cfg ThrottleConfig) *throttle {
	return &throttle{cfg: cfg, fails: expirable.NewLRU[string, []time.Time](100_000, nil, cfg.Window), now: time.Now}
}

// recent returns the failures of key still inside the window.
func (t *throttle) recent(key string) []time.Time {
	list, _ := t.fails.Get(key)
	cutoff := t.now().Add(-t.cfg.Window)
	i := 0
	for i < len(list) && !list[i].After(cutoff) {
		i++
	}
	return list[i:]
}

// limit is a throttle key with the failures it allows in a window.
type limit struct {
	key string
	max int
}

// begin starts an attempt under limits. If one of them is reached, it
// records nothing and returns when the next attempt will be considered.
// Otherwise it records the attempt as a failure of every key at once,
// before the password is checked, so that concurrent attempts cannot get
// past the limits together, and returns the attempt's time (for undo).
func (t *throttle) begin(limits ...limit) (attempt, retryAt time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range limits {
		list := t.recent(l.key)
		if len(list) < l.max {
			continue
		}
		if until := list[len(list)-l.max].Add(t.cfg.Window); until.After(retryAt) {
			retryAt = until
		}
	}
	if !retryAt.IsZero() {
		return time.Time{}, retryAt
	}
	now := t.now()
	for _, l := range limits {
		t.fails.Add(l.key, append(slices.Clip(t.recent(l.key)), now))
	}
	return now, time.Time{}
}

// undo removes the attempt begun at from keys: it was not a failure (the
// password was right, or the store failed before it could be checked).
func (t *throttle) undo(at time.Time, keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, key := range keys {
		list := t.recent(key)
		if i := slices.IndexFunc(list, at.Equal); i >= 0 {
			t.fails.Add(key, slices.Delete(slices.Clone(list), i, i+1))
		}
	}
}

// delay returns how long to slow the answer to a failure of key: SlowStep
// more for each failure in the window past SlowAfter, at most SlowMax.
func (t *throttle) delay(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	extra := len(t.recent(key)) - t.cfg.SlowAfter
	if extra <= 0 {
		return 0
	}
	return min(time.Duration(extra)*t.cfg.SlowStep, t.cfg.SlowMax)
}

// forget clears key after a successful login.
func (t *throttle) forget(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fails.Remove(key)
}
