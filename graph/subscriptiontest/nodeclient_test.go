package subscriptiontest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/npmtest"
)

// jsDir holds the package.json and lock file of the graphql-ws client that
// internal/wstransport's end-to-end test uses; testdata/postadded.mjs uses
// the same packages.
const jsDir = "../../internal/wstransport/testdata/js"

// nodeClient returns the path of node and the environment for
// postadded.mjs, which loads the packages from the directory HUB_JS_DIR
// names (see npmtest.Dir).
func nodeClient(t *testing.T) (node string, env []string) {
	t.Helper()
	node, dir := npmtest.Dir(t, jsDir, "graphql-ws")
	return node, append(os.Environ(), "HUB_JS_DIR="+dir)
}

// jsLine is one JSON line printed by postadded.mjs.
type jsLine struct {
	Event  string          `json:"event"`
	Code   int             `json:"code"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

// startNode runs postadded.mjs; lines delivers what it prints, closed when
// it exited.
func startNode(t *testing.T, node string, env []string, args ...string) <-chan jsLine {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, node, append([]string{"testdata/postadded.mjs"}, args...)...)
	cmd.Env = env
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan jsLine, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var l jsLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				l = jsLine{Event: "unreadable: " + sc.Text()}
			}
			lines <- l
		}
		if err := cmd.Wait(); err != nil {
			lines <- jsLine{Event: "exit: " + err.Error()}
		}
	}()
	return lines
}

// TestNodeClientReceivesPostAdded checks that the npm graphql-ws client
// receives postAdded for posts made over HTTP, then unsubscribes and
// closes normally.
func TestNodeClientReceivesPostAdded(t *testing.T) {
	node, env := nodeClient(t)
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice, bob := h.secretariat(), h.user(), h.user()
		topic := h.topic(alice, h.category(admin, "general", "MEMBERS"), "Node")
		lines := startNode(t, node, env, h.wsURL(), alice.token, topic, "2")
		h.events.waitFor(t, live.TopicPosts(topicOf(t, topic)), 1)
		want := []string{
			`{"data":{"postAdded":{"author":{"id":"` + bob.id + `"},"body":"first","id":"` + h.post(bob, topic, "first") + `"}}}`,
			`{"data":{"postAdded":{"author":{"id":"` + alice.id + `"},"body":"second","id":"` + h.post(alice, topic, "second") + `"}}}`,
		}
		var events, results []string
		for l := range lines {
			switch l.Event {
			case "result":
				results = append(results, canonical(t, l.Result))
			case "closed":
				events = append(events, "closed "+strconv.Itoa(l.Code))
			case "error":
				t.Errorf("node client error: %s", l.Error)
			default:
				events = append(events, l.Event)
			}
		}
		expectLines(t, "results", results, want)
		expectLines(t, "events", events, []string{"connected", "done", "closed 1000"})
	})
}

// canonical re-encodes a JSON value with sorted keys.
func canonical(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// expectLines compares what the node client saw with what is wanted.
func expectLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("node client %s:\n%q\nwant:\n%q", what, got, want)
	}
}
