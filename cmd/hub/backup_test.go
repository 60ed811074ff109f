package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// writers is how many clients write at once during a backup, and
// writesEach how many phases each creates at most.
const (
	writers    = 3
	writesEach = 60
)

// writeLoad creates phases named backup-w<writer>-<n> through the API, each
// writer one after the other, and records how many each had acknowledged.
type writeLoad struct {
	acked [writers]atomic.Int64
	stop  atomic.Bool
	wg    sync.WaitGroup
}

// start runs the writers against the endpoint as the secretariat.
func (l *writeLoad) start(t *testing.T, endpoint string, admin http.Header) {
	for w := range writers {
		l.wg.Go(func() {
			for n := 1; n <= writesEach && !l.stop.Load(); n++ {
				resp := gqltest.Post(t, endpoint, `mutation($n: String!) { createPhase(input: {name: $n}) { id } }`,
					map[string]any{"n": fmt.Sprintf("backup-w%d-%d", w, n)}, admin)
				if resp.Status != http.StatusOK || len(resp.Errors) > 0 {
					t.Errorf("writer %d, write %d: %s", w, n, resp.Body)
					return
				}
				l.acked[w].Store(int64(n))
			}
		})
	}
}

// waitFor waits until every writer has min writes acknowledged.
func (l *writeLoad) waitFor(t *testing.T, min int64) {
	deadline := time.Now().Add(time.Minute)
	for w := range writers {
		for l.acked[w].Load() < min {
			if time.Now().After(deadline) {
				t.Fatalf("writer %d: %d writes acknowledged after a minute", w, l.acked[w].Load())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// snapshot returns how many writes each writer has had acknowledged.
func (l *writeLoad) snapshot() [writers]int64 {
	var out [writers]int64
	for w := range writers {
		out[w] = l.acked[w].Load()
	}
	return out
}

// end stops the writers and waits for them.
func (l *writeLoad) end() { l.stop.Store(true); l.wg.Wait() }

// serveStore serves store with the Hub's real server for the test.
func serveStore(t *testing.T, store *db.Store) string {
	t.Helper()
	srv := httptest.NewServer(server.New(server.DefaultConfig(), store, discard).Handler())
	t.Cleanup(srv.Close)
	return srv.URL + "/graphql"
}

// checkWrites checks, through the API of a server over the restored store,
// that each writer's phases are a gap-free run 1..k holding at least every
// write acknowledged before the backup began.
func checkWrites(t *testing.T, restored *db.Store, before [writers]int64) {
	t.Helper()
	endpoint := serveStore(t, restored)
	for w := range writers {
		resp := gqltest.Post(t, endpoint, `query($p: String!) { phases(first: 100, where: {nameHasPrefix: $p}) { totalCount edges { node { name } } } }`,
			map[string]any{"p": fmt.Sprintf("backup-w%d-", w)}, nil)
		resp.NoErrors(t)
		var got struct {
			Phases struct {
				TotalCount int
				Edges      []struct{ Node struct{ Name string } }
			}
		}
		resp.Decode(t, &got)
		have := map[string]bool{}
		for _, e := range got.Phases.Edges {
			have[e.Node.Name] = true
		}
		k := got.Phases.TotalCount
		if int64(k) < before[w] {
			t.Errorf("writer %d: the backup holds %d writes, %d were acknowledged before it began", w, k, before[w])
		}
		for n := 1; n <= k; n++ {
			if !have[fmt.Sprintf("backup-w%d-%d", w, n)] {
				t.Errorf("writer %d: write %d missing from the backup, which holds %d", w, n, k)
			}
		}
	}
}

// TestBackupWhileWriting backs a SQLite store up with hub backup while
// clients write through the API, restores it with hub restore into another
// store, and checks the restored store's integrity and that it holds every
// write acknowledged before the backup began, with no gaps.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	liveURL := "sqlite://" + filepath.Join(dir, "live.db")
	if err := runHub(t, liveURL, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	live, err := db.Open(liveURL)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	var load writeLoad
	load.start(t, serveStore(t, live), authtest.Secretariat(t, live))
	defer load.end()
	load.waitFor(t, 10)

	file := filepath.Join(dir, "backups", "hub.backup")
	before := load.snapshot()
	if err := runHub(t, liveURL, "", "backup", file); err != nil {
		t.Fatalf("hub backup: %v", err)
	}
	after := load.snapshot()
	load.end()
	if after == before {
		t.Logf("no write was acknowledged while the backup ran (%v)", after)
	}

	restoredURL := "sqlite://" + filepath.Join(dir, "restored.db")
	if err := runHub(t, restoredURL, "", "restore", file); err != nil {
		t.Fatalf("hub restore: %v", err)
	}
	restored, err := db.Open(restoredURL)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	var check string
	if err := restored.DB.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check of the restored store: %q, %v", check, err)
	}
	if err := db.Migrate(context.Background(), restored); err != nil {
		t.Fatalf("migrating the restored store: %v", err)
	}
	checkWrites(t, restored, before)

	// Restoring over the served store, which has gone on to more writes,
	// brings it back to the backup, seen by the server's own connections.
	if err := runHub(t, liveURL, "", "restore", file); err != nil {
		t.Fatalf("hub restore over the live store: %v", err)
	}
	ctx := context.Background()
	if got, want := live.Client.Phase.Query().CountX(ctx), restored.Client.Phase.Query().CountX(ctx); got != want {
		t.Errorf("the live store holds %d phases after the restore, the backup %d", got, want)
	}
}

// TestRestoreRefusesBadFiles checks that hub restore leaves the store alone
// when the file is not a sound Hub store.
func TestRestoreRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	storeURL := "sqlite://" + filepath.Join(dir, "hub.db")
	if err := runHub(t, storeURL, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	notHub := filepath.Join(dir, "other.db")
	other, err := db.Open("sqlite://" + notHub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.DB.Exec("CREATE TABLE t (x int)"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	for file, want := range map[string]string{notHub: "not a Hub store", "backup.go": "not a database"} {
		err := runHub(t, storeURL, "", "restore", file)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("restore %s: got %v, want %q", file, err, want)
		}
	}
	if err := runHub(t, storeURL, "", "migrate"); err != nil {
		t.Errorf("the store after refused restores: %v", err)
	}
}

// TestPostgresDumpAndRestore follows docs/backups.md on PostgreSQL:
// pg_dump while clients write, pg_restore into an empty database, and the
// Hub serves the restored store with every write acknowledged before the
// dump began. hub backup and hub restore point to these tools.
func TestPostgresDumpAndRestore(t *testing.T) {
	if !slices.Contains(dbtest.Dialects(), "postgres") {
		t.Skipf("%s is not set", dbtest.PostgresEnv)
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH", tool)
		}
	}
	liveURL := dbtest.URL(t, "postgres")
	if err := runHub(t, liveURL, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if err := runHub(t, liveURL, "", "backup", filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("hub backup on PostgreSQL: got %v, want a pointer to pg_dump", err)
	}
	live, err := db.Open(liveURL)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	var load writeLoad
	load.start(t, serveStore(t, live), authtest.Secretariat(t, live))
	defer load.end()
	load.waitFor(t, 10)

	file := filepath.Join(t.TempDir(), "hub.dump")
	before := load.snapshot()
	run(t, "pg_dump", "--format=custom", "--file", file, liveURL)
	load.end()

	restoredURL := dbtest.URL(t, "postgres")
	run(t, "pg_restore", "--no-owner", "--exit-on-error", "--dbname", restoredURL, file)
	restored, err := db.Open(restoredURL)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := db.Migrate(context.Background(), restored); err != nil {
		t.Fatalf("migrating the restored store: %v", err)
	}
	checkWrites(t, restored, before)
	// The restored store searches as the original: hub_fold came along.
	resp := gqltest.Post(t, serveStore(t, restored), `{ phases(where: {nameContainsFold: "BACKUP-W0-1"}) { totalCount } }`, nil, nil)
	resp.NoErrors(t)
}

// run runs a command and fails the test with its output if it fails.
func run(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}
