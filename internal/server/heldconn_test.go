package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// countingListener counts the writes made to the connections it accepts.
type countingListener struct {
	net.Listener
	mu     sync.Mutex
	writes int
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, l: l}, nil
}

func (l *countingListener) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writes
}

// countingConn is a connection of a countingListener. It gives its
// socket's raw connection as a TCP connection does, for websockets.
type countingConn struct {
	net.Conn
	l *countingListener
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.l.mu.Lock()
	c.l.writes++
	c.l.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *countingConn) SyscallConn() (syscall.RawConn, error) {
	return c.Conn.(syscall.Conn).SyscallConn()
}

// counted is a hub served by serveCounted.
type counted struct {
	listener *countingListener
	// addr is the API's address, metricsURL where its metrics are read.
	addr, metricsURL string
	admin            http.Header
}

// serveCounted serves a hub over SQLite through Server.Serve, as hub serve
// does, on a listener that counts writes, and its metrics apart.
func serveCounted(t *testing.T) counted {
	t.Helper()
	store := dbtest.Open(t, "sqlite")
	srv := server.New(server.DefaultConfig(), store, slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	counting := &countingListener{Listener: ln}
	metrics, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, counting) }()
	go srv.ServeMetrics(ctx, metrics)
	t.Cleanup(func() {
		cancel()
		<-served
	})
	return counted{listener: counting, addr: ln.Addr().String(), metricsURL: "http://" + metrics.Addr().String() + "/metrics",
		admin: authtest.Secretariat(t, store)}
}

// largeQuery is a query whose answer is larger than net/http's 4 KiB
// write buffer: the schema's type names.
func largeQuery() string { return `{ __schema { types { name kind } } }` }

// TestAnswersLeaveInOneWrite checks that an answer larger than net/http's
// buffer leaves the server in one write, headers included, answer after
// answer on a kept-alive connection, and that a client asking to be told
// to send its body ("Expect: 100-continue") is told before the answer.
func TestAnswersLeaveInOneWrite(t *testing.T) {
	hub := serveCounted(t)
	counting := hub.listener
	conn, err := net.Dial("tcp", hub.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	body := fmt.Sprintf(`{"query": %q}`, largeQuery())
	for i := range 2 {
		before := counting.count()
		fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		resp := readAnswer(t, r)
		if resp.StatusCode != http.StatusOK || len(resp.body) < 5000 || strings.Contains(resp.body, `"errors"`) {
			t.Fatalf("answer %d: %d, %d bytes: %.200s", i, resp.StatusCode, len(resp.body), resp.body)
		}
		if writes := counting.count() - before; writes != 1 {
			t.Errorf("answer %d of %d bytes took %d writes, want 1", i, len(resp.body), writes)
		}
	}

	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", len(body))
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	status, err := r.ReadString('\n')
	if err != nil || !strings.Contains(status, "100 Continue") {
		t.Fatalf("asked to be told to send the body, the client read %q, %v", status, err)
	}
	if _, err := r.ReadString('\n'); err != nil { // the blank line after 100 Continue
		t.Fatal(err)
	}
	_, _ = io.WriteString(conn, body)
	if resp := readAnswer(t, r); resp.StatusCode != http.StatusOK || len(resp.body) < 5000 {
		t.Fatalf("answer after 100 Continue: %d, %d bytes", resp.StatusCode, len(resp.body))
	}
}

// answer is an HTTP answer read whole.
type answer struct {
	StatusCode int
	body       string
}

func readAnswer(t *testing.T, r *bufio.Reader) answer {
	t.Helper()
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, string(b)}
}

// TestWebsocketsThroughServe checks that a websocket served by
// Server.Serve (whose connections can hold an answer) subscribes and gets
// its delivery.
func TestWebsocketsThroughServe(t *testing.T) {
	hub := serveCounted(t)
	url, admin := "http://"+hub.addr, hub.admin
	ws := subscribeNews(t, url, admin)
	// The subscription is active once the server counts it: news
	// published before would not reach it.
	waitForMetric(t, hub.metricsURL, "hub_subscriptions", 1)
	resp := gqltest.Post(t, url+"/graphql", `mutation { createNewsItem(input: {title: "Forum in Riga", body: "Report"}) { id } }`, nil, admin)
	resp.NoErrors(t)
	var created struct{ CreateNewsItem struct{ ID string } }
	resp.Decode(t, &created)
	gqltest.Post(t, url+"/graphql", `mutation($id: ID!) { publishNewsItem(id: $id) { id } }`,
		map[string]any{"id": created.CreateNewsItem.ID}, admin).NoErrors(t)
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var msg struct {
		Type    string
		Payload struct {
			Data struct{ NewsPublished struct{ ID string } }
		}
	}
	if err := ws.ReadJSON(&msg); err != nil || msg.Type != "next" || msg.Payload.Data.NewsPublished.ID != created.CreateNewsItem.ID {
		t.Fatalf("the subscriber got %+v, %v", msg, err)
	}
}
