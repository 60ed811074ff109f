package auth

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// ThrottleConfig sets how many failed sign-ins are allowed before further
// attempts are refused.
type ThrottleConfig struct {
	// Window is the period over which failures are counted.
	Window time.Duration
	// PerAccount and PerAddress are the failures allowed in a window for one
	// e-mail address and one client address; the next attempt is refused
	// without checking the password until the oldest failure leaves the window.
	PerAccount, PerAddress int
}

// DefaultThrottle allows 10 failures a minute per account and 50 per client
// address.
//
// Failures are not slowed down: the limits alone bound the guesses (an
// attacker running attempts in parallel would not be slowed by a delay
// anyway), and a delay would only hold the server's resources longer.
func DefaultThrottle() ThrottleConfig {
	return ThrottleConfig{Window: time.Minute, PerAccount: 10, PerAddress: 50}
}

// limit is a throttle key with the failures it allows in a window.
type limit struct {
	key string
	max int
}

// attempt identifies a sign-in attempt recorded by a counter, so that it
// can be taken back.
type attempt struct {
	id int64
	at time.Time
}

// counter counts recent failed sign-ins per key, and attempts under way as
// failures until they succeed (see begin). Its two implementations keep
// the counts in process (memoryCounter, for SQLite, where one process owns
// the store) or in the store for every replica (storeCounter, PostgreSQL).
type counter interface {
	// begin starts an attempt under limits. If one of them is reached, it
	// records nothing and returns when the next attempt will be considered.
	// Otherwise it records the attempt as a failure of every key at once,
	// before the password is checked, so that concurrent attempts cannot
	// get past the limits together.
	begin(ctx context.Context, limits ...limit) (a attempt, retryAt time.Time, err error)
	// undo removes attempt a from keys: it was not a failure (the password
	// was right, or the store failed before it could be checked).
	undo(ctx context.Context, a attempt, keys ...string) error
	// forget clears key after a successful sign-in.
	forget(ctx context.Context, key string) error
}

// retryTime decides an attempt under limits given each key's failures in
// the window, oldest first: zero if it may go ahead, else when the oldest
// failure that keeps a limit reached leaves the window.
func retryTime(window time.Duration, failures func(key string) []time.Time, limits []limit) (retryAt time.Time) {
	for _, l := range limits {
		list := failures(l.key)
		if len(list) < l.max {
			continue
		}
		if until := list[len(list)-l.max].Add(window); until.After(retryAt) {
			retryAt = until
		}
	}
	return retryAt
}

// memoryCounter counts in process. The failure lists live in an expiring
// LRU (golang-lru), so memory stays bounded however many addresses try and
// lists of keys that stopped failing expire; the sliding-window count on
// top is the Hub's own policy.
type memoryCounter struct {
	window time.Duration
	mu     sync.Mutex
	fails  *expirable.LRU[string, []time.Time]
	now    func() time.Time
}

func newMemoryCounter(window time.Duration) *memoryCounter {
	return &memoryCounter{window: window, fails: expirable.NewLRU[string, []time.Time](100_000, nil, window), now: time.Now}
}

// recent returns the failures of key still inside the window.
func (t *memoryCounter) recent(key string) []time.Time {
	list, _ := t.fails.Get(key)
	cutoff := t.now().Add(-t.window)
	i := 0
	for i < len(list) && !list[i].After(cutoff) {
		i++
	}
	return list[i:]
}

func (t *memoryCounter) begin(_ context.Context, limits ...limit) (attempt, time.Time, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if retryAt := retryTime(t.window, t.recent, limits); !retryAt.IsZero() {
		return attempt{}, retryAt, nil
	}
	now := t.now()
	for _, l := range limits {
		t.fails.Add(l.key, append(slices.Clip(t.recent(l.key)), now))
	}
	return attempt{at: now}, time.Time{}, nil
}

func (t *memoryCounter) undo(_ context.Context, a attempt, keys ...string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, key := range keys {
		list := t.recent(key)
		if i := slices.IndexFunc(list, a.at.Equal); i >= 0 {
			t.fails.Add(key, slices.Delete(slices.Clone(list), i, i+1))
		}
	}
	return nil
}

func (t *memoryCounter) forget(_ context.Context, key string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fails.Remove(key)
	return nil
}
