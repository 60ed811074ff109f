package auth

import (
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

// throttle counts recent failed logins per key. The failure lists live in
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

// blockedUntil returns when key may try again, or the zero time if it may
// try now.
func (t *throttle) blockedUntil(key string, limit int) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	list := t.recent(key)
	if len(list) < limit {
		return time.Time{}
	}
	return list[len(list)-limit].Add(t.cfg.Window)
}

// fail records a failure of key and returns how long to delay the answer.
func (t *throttle) fail(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	list := append(t.recent(key), t.now())
	t.fails.Add(key, list)
	extra := len(list) - t.cfg.SlowAfter
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
