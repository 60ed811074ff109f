package subscriptiontest

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/live"
)

// rollback is one mutation operation, hence one transaction, whose first
// field writes a post and whose second fails (an empty body): the first
// post is rolled back with it.
const rollback = `mutation($t: ID!, $b: String!) {
	kept: createPost(input: {topicId: $t, body: $b}) { id }
	failing: createPost(input: {topicId: $t, body: ""}) { id } }`

// postgresOnly returns a fresh PostgreSQL database, or skips the test.
func postgresOnly(t *testing.T) *database {
	t.Helper()
	for _, dia := range dbtest.Dialects() {
		if dia == "postgres" {
			return newDatabase(t, dia)
		}
	}
	t.Skipf("%s is not set: two servers share a database only on PostgreSQL", dbtest.PostgresEnv)
	return nil
}

// TestTwoServersShareEvents runs two servers on one PostgreSQL database,
// each with its own store and LISTEN connection, as two `hub serve`
// processes would: a post made through either reaches the subscribers of
// both, and a rolled-back post reaches nobody.
func TestTwoServersShareEvents(t *testing.T) {
	d := postgresOnly(t)
	a, b := d.serve(t, nil), d.serveStore(t, d.open(t), nil)
	admin, alice, bob := a.secretariat(), a.user(), a.user()
	topic := a.topic(alice, a.category(admin, "general", "MEMBERS"), "Replicas")
	subscribers := map[string]*wsClient{"a": a.connect(alice), "b": b.connect(bob)}
	for _, c := range subscribers {
		c.subscribe("p", postAdded, vars{"t": topic})
	}
	events := live.TopicPosts(topicOf(t, topic))
	a.events.waitFor(t, events, 1)
	b.events.waitFor(t, events, 1)

	for _, post := range []struct{ via *hub }{{a}, {b}} {
		id := post.via.post(alice, topic, "through one server")
		for name, c := range subscribers {
			if got := c.nextField("p", "postAdded", "id"); got != id {
				t.Errorf("subscriber of server %s received %s, want %s", name, got, id)
			}
		}
	}
	checkRollback(t, a, []*wsClient{subscribers["a"], subscribers["b"]}, admin, alice, topic)
}

// TestRolledBackPostReachesNobody checks on one server of each database
// that a post written in a transaction that rolls back is not delivered.
func TestRolledBackPostReachesNobody(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice := h.secretariat(), h.user()
		topic := h.topic(alice, h.category(admin, "general", "MEMBERS"), "Rollback")
		c := h.connect(admin)
		c.subscribe("p", postAdded, vars{"t": topic})
		h.events.waitFor(t, live.TopicPosts(topicOf(t, topic)), 1)
		checkRollback(t, h, []*wsClient{c}, admin, alice, topic)
	})
}

// checkRollback sends the rollback operation through h as author, checks
// that it failed and wrote nothing, then writes a post that commits: the
// subscribers' next post must be that one, and nothing may follow.
func checkRollback(t *testing.T, h *hub, subscribers []*wsClient, admin, author caller, topic string) {
	t.Helper()
	resp := h.do(author, rollback, vars{"t": topic, "b": "rolled back"})
	if len(resp.Errors) == 0 || resp.Code() != "BAD_USER_INPUT" {
		t.Fatalf("the operation with an empty body: %s, want BAD_USER_INPUT", resp.Body)
	}
	if h.postExists(admin, "rolled back") {
		t.Fatal("the post of the failed operation was written")
	}
	committed := h.post(author, topic, "committed")
	for _, c := range subscribers {
		if got := c.nextField("p", "postAdded"); at(decode(t, got), "id") != committed {
			t.Errorf("next post delivered: %s, want the committed one, %s", got, committed)
		}
	}
	quiet(subscribers...)
}

// decode decodes a JSON text.
func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decoding %s: %v", s, err)
	}
	return v
}

// TestTwoHubServeProcesses runs two `hub serve` processes on one
// PostgreSQL database: a post made through either reaches the subscribers
// of both, and a rolled-back post reaches nobody. It builds the binary,
// which takes a while: skipped in -short mode.
func TestTwoHubServeProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs hub serve: skipped in -short mode")
	}
	d := postgresOnly(t)
	bin := buildHub(t)
	a, b := startHub(t, bin, d), startHub(t, bin, d)
	admin, alice, bob := a.secretariat(), a.user(), a.user()
	topic := a.topic(alice, a.category(admin, "general", "MEMBERS"), "Processes")
	subscribers := []*wsClient{a.connect(alice), b.connect(bob)}
	for _, c := range subscribers {
		c.subscribe("p", postAdded, vars{"t": topic})
	}
	probes := awaitListening(t, a, alice, topic, subscribers)
	for _, via := range []*hub{a, b, a} {
		id := via.post(bob, topic, "through one process")
		for i, c := range subscribers {
			if got := nextPost(t, c, probes); got != id {
				t.Errorf("subscriber %d received %s, want %s", i, got, id)
			}
		}
	}
	checkRollback(t, b, subscribers, admin, alice, topic)
}

// awaitListening writes probe posts through h until every subscriber has
// received one (the protocol does not say when a subscription listens; no
// server hook is available in another process). It returns the probes'
// ids, which later reads skip.
func awaitListening(t *testing.T, h *hub, author caller, topic string, subscribers []*wsClient) map[string]bool {
	t.Helper()
	probes := map[string]bool{}
	ready := make([]bool, len(subscribers))
	deadline := time.Now().Add(wait)
	for slices.Contains(ready, false) {
		if time.Now().After(deadline) {
			t.Fatalf("subscribers listening: %v after %d probes", ready, len(probes))
		}
		probes[h.post(author, topic, "probe")] = true
		for i, c := range subscribers {
			select {
			case m, ok := <-c.in:
				if !ok {
					t.Fatalf("subscriber %d: socket ended: %v", i, c.err)
				}
				c.pending[m.ID] = append(c.pending[m.ID], m)
				ready[i] = true
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	return probes
}

// nextPost returns the id of the next post c receives, skipping probes.
func nextPost(t *testing.T, c *wsClient, probes map[string]bool) string {
	t.Helper()
	for {
		if id := c.nextField("p", "postAdded", "id"); !probes[id] {
			return id
		}
	}
}

// buildHub builds cmd/hub into a temporary directory.
func buildHub(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hub")
	start := time.Now()
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/bridgesoftrust/hub/cmd/hub").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built hub in %s", time.Since(start).Round(time.Millisecond))
	return bin
}

// startHub starts `hub serve` on a free loopback port over d and waits
// until it is ready; it is stopped (SIGTERM) when the test ends.
func startHub(t *testing.T, bin string, d *database) *hub {
	t.Helper()
	addr := freeAddr(t)
	var logs bytes.Buffer
	// Each replica its own metrics address, as on hosts of their own.
	cmd := exec.Command(bin, "serve", "--addr", addr, "--metrics-addr", freeAddr(t))
	cmd.Env = append(os.Environ(), "HUB_DATABASE_URL="+d.url, "HUB_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(wait):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("hub serve on %s:\n%s", addr, logs.String())
		}
	})
	h := &hub{t: t, url: "http://" + addr, store: d.store}
	waitReady(t, h.url, exited)
	return h
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitReady polls /readyz until it answers 200, or fails when the process
// exited or the hang guard ran out.
func waitReady(t *testing.T, url string, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		select {
		case err := <-exited:
			t.Fatalf("hub serve exited: %v", err)
		default:
		}
		if resp, err := http.Get(url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("hub serve at %s not ready after %s", url, wait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
