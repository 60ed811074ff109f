// Package schematest loads the Hub's Ent schema graph for tests that walk
// every type (the authorization rules, the fields' bounds).
//
// entc.LoadGraph compiles a small program in a .entc directory inside the
// schema's package and removes the directory when done: two loads at once
// (two tests of one package, or two packages' tests run side by side by go
// test) remove each other's program. Load therefore loads each directory
// once per test process, holding a lock on a file in the system's
// temporary directory while it does.
package schematest

import (
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

// loaded keeps the graph (or the error) of each schema directory loaded
// in this process.
var (
	mu     sync.Mutex
	loaded = map[string]result{}
)

// result is one load's outcome.
type result struct {
	graph *gen.Graph
	err   error
}

// Load returns the schema graph of the Ent schema package in dir (relative
// to the calling test's package), loaded once per directory and process.
func Load(t testing.TB, dir string) *gen.Graph {
	t.Helper()
	mu.Lock()
	r, ok := loaded[dir]
	if !ok {
		r.graph, r.err = loadLocked(dir)
		loaded[dir] = r
	}
	mu.Unlock()
	if r.err != nil {
		t.Fatalf("loading the Ent schema: %v", r.err)
	}
	return r.graph
}

// loadLocked loads the graph of dir while holding the lock of every test
// process that loads it.
func loadLocked(dir string) (*gen.Graph, error) {
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "hub-entc-load.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing the file releases it too
	return entc.LoadGraph(dir, &gen.Config{})
}
