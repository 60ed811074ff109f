package wstransport_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/npmtest"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// jsDir holds the graphql-ws client script and its package.json.
const jsDir = "testdata/js"

// nodeClient returns the path of node and the directory of client.mjs
// with its packages installed (see npmtest.Dir).
func nodeClient(t *testing.T) (node, dir string) {
	t.Helper()
	return npmtest.Dir(t, jsDir, "graphql-ws")
}

// jsLine is one JSON line printed by client.mjs.
type jsLine struct {
	Event   string          `json:"event"`
	Op      string          `json:"op"`
	Code    int             `json:"code"`
	Reason  string          `json:"reason"`
	Message message         `json:"message"`
	Result  json.RawMessage `json:"result"`
	Error   json.RawMessage `json:"error"`
}

// startNode runs client.mjs against url; lines delivers its output, closed
// when it exited.
func startNode(t *testing.T, node, dir, url, token string) <-chan jsLine {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, node, "client.mjs", url, token, "3")
	cmd.Dir = dir
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
				t.Errorf("client.mjs printed %q: %v", sc.Text(), err)
				continue
			}
			lines <- l
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("client.mjs: %v", err)
		}
	}()
	return lines
}

func TestGraphQLWSNodeClient(t *testing.T) {
	node, dir := nodeClient(t)
	h := newHub()
	url := mount(t, h.server(), wstransport.New(wstransport.Config{InitFunc: bearerInit}))
	lines := startNode(t, node, dir, url, "good-alice")

	waitFor(t, "node to subscribe", func() bool { return h.count() == 1 })
	for _, e := range []string{"e1", "e2", "e3"} {
		h.publish(e)
	}
	waitFor(t, "node to unsubscribe", func() bool { return h.count() == 0 })

	var messages, results, events []string
	for l := range lines {
		t.Logf("node: %s %s %s %s %d", l.Event, l.Message.Type, l.Op, l.Result, l.Code)
		switch l.Event {
		case "message":
			messages = append(messages, l.Message.Type)
		case "result":
			results = append(results, l.Op+" "+string(l.Result))
		case "closed":
			events = append(events, "closed "+strconv.Itoa(l.Code))
		default:
			events = append(events, l.Event)
		}
	}
	expectLines(t, "messages", messages, "connection_ack", "next", "complete", "next", "next", "next")
	expectLines(t, "results", results, `viewer {"data":{"viewer":"alice"}}`,
		`events {"data":{"events":"e1"}}`, `events {"data":{"events":"e2"}}`, `events {"data":{"events":"e3"}}`)
	expectLines(t, "events", events, "connected", "done", "closed 1000")
}

// expectLines compares what the node client saw with what is wanted.
func expectLines(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("node client %s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestGraphQLWSNodeClientForbidden(t *testing.T) {
	node, dir := nodeClient(t)
	url := mount(t, newHub().server(), wstransport.New(wstransport.Config{InitFunc: bearerInit}))
	var errLine *jsLine
	for l := range startNode(t, node, dir, url, "forged") {
		if l.Event == "error" {
			errLine = &l
		}
	}
	if errLine == nil || string(errLine.Error) != `{"code":4403,"reason":"invalid token"}` {
		t.Fatalf("node client error %+v, want close 4403 invalid token", errLine)
	}
}
