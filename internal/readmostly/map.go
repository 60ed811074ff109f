// Package readmostly holds a map for what the Hub reads on every request
// and writes a bounded number of times (the selections of a query
// document, the quoted columns of the schema's joins).
package readmostly

import (
	"sync"
	"sync/atomic"
)

// Map is a map read without locking: a writer replaces it by a copy with
// the new entry. Reads from both cores then touch no shared counter (a
// read lock's bounces between them) and box no key (sync.Map keeps keys
// as interfaces: an allocation per lookup of a struct key). Each write
// copies the map, so it suits maps that stop growing once the first
// requests have run. Written by hand: no module offers it without one of
// those costs. The zero Map is empty and ready.
type Map[K comparable, V any] struct {
	mu      sync.Mutex
	entries atomic.Pointer[map[K]V]
}

// Load returns the value kept for key, if any.
func (m *Map[K, V]) Load(key K) (V, bool) {
	if entries := m.entries.Load(); entries != nil {
		v, ok := (*entries)[key]
		return v, ok
	}
	var zero V
	return zero, false
}

// Store keeps value for key.
func (m *Map[K, V]) Store(key K, value V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	next := map[K]V{key: value}
	if entries := m.entries.Load(); entries != nil {
		for k, v := range *entries {
			if k != key {
				next[k] = v
			}
		}
	}
	m.entries.Store(&next)
}

// Len returns how many keys have values.
func (m *Map[K, V]) Len() int {
	if entries := m.entries.Load(); entries != nil {
		return len(*entries)
	}
	return 0
}
