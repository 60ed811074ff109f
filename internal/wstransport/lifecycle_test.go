package wstransport_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// closeRecorder collects the codes OnClose reports.
type closeRecorder chan [2]any

func (r closeRecorder) hook(_ context.Context, code int, reason string) { r <- [2]any{code, reason} }

// next returns the next recorded close.
func (r closeRecorder) next(t *testing.T) (int, string) {
	t.Helper()
	select {
	case c := <-r:
		return c[0].(int), c[1].(string)
	case <-time.After(wait):
		t.Fatal("no connection closed")
		return 0, ""
	}
}

func TestSlowConsumerDroppedFastOneServed(t *testing.T) {
	h := newHub()
	closes := make(closeRecorder, 4)
	url := mount(t, h.server(), wstransport.New(wstransport.Config{
		SendBufferSize: 16,
		WriteTimeout:   500 * time.Millisecond,
		OnClose:        closes.hook,
	}))
	fast, slow := dial(t, url), dial(t, url)
	for _, c := range []*client{fast, slow} {
		c.init(nil)
		c.subscribe("subscribe", "1", "subscription { events }")
	}
	waitFor(t, "two subscriptions", func() bool { return h.count() == 2 })

	// 1000 events of 32 KiB: far more than the slow client's socket buffers.
	const n, inFlight = 1000, 8
	got, readErr := readNexts(fast, n)
	payload := strings.Repeat("x", 32<<10)
	for i := range n {
		if i >= inFlight {
			<-got // the fast client keeps up; only the slow one falls behind
		}
		h.publish(payload)
	}
	if err := <-readErr; err != nil {
		t.Fatalf("fast client: %v", err)
	}
	if code, reason := closes.next(t); code != wstransport.CloseSlowConsumer || reason != "slow consumer" {
		t.Fatalf("closed %d %q, want slow consumer", code, reason)
	}
	waitFor(t, "slow subscription to stop", func() bool { return h.count() == 1 })
	assertEnds(t, slow)
	fast.send("ping", "", nil) // the fast one is still served
	fast.expect("pong", "")
}

// readNexts reads n next messages from c in a goroutine, signalling each on
// got; readErr receives the outcome.
func readNexts(c *client, n int) (got chan struct{}, readErr chan error) {
	got, readErr = make(chan struct{}, n), make(chan error, 1)
	go func() {
		for range n {
			if m, err := c.tryRead(); err != nil || m.Type != "next" {
				readErr <- errors.Join(err, errors.New("fast client got "+m.Type))
				return
			}
			got <- struct{}{}
		}
		readErr <- nil
	}()
	return got, readErr
}

// assertEnds reads until the connection ends, which it must without a
// read timeout.
func assertEnds(t *testing.T, c *client) {
	t.Helper()
	for {
		_, err := c.tryRead()
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("connection still open: %v", err)
		}
		return
	}
}

func TestShutdownCloses1001(t *testing.T) {
	h := newHub()
	tr := wstransport.New(wstransport.Config{})
	url := mount(t, h.server(), tr)
	subscribed, idle, legacy := dial(t, url), dial(t, url), dialLegacy(t, url)
	subscribed.init(nil)
	subscribed.subscribe("subscribe", "1", "subscription { events }")
	legacy.init(nil)
	waitFor(t, "subscription", func() bool { return h.count() == 1 })
	// The idle client sends nothing the server answers, so nothing orders
	// its registration before this point: wait for it.
	waitFor(t, "3 connections", func() bool { return tr.Connections() == 3 })

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		done <- tr.Shutdown(ctx)
	}()
	for _, c := range []*client{subscribed, idle, legacy} {
		c.expectClose(websocket.CloseGoingAway, "server shutting down")
	}
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if n := tr.Connections(); n != 0 || h.count() != 0 {
		t.Fatalf("%d connections and %d subscriptions left", n, h.count())
	}
	if got := httpStatus(t, url, nil, wstransport.ProtocolTransportWS); got != http.StatusServiceUnavailable {
		t.Fatalf("dial after shutdown: %d", got)
	}
}

func TestShutdownDeadlineDropsStuckClients(t *testing.T) {
	tr := wstransport.New(wstransport.Config{})
	url := mount(t, newHub().server(), tr)
	dial(t, url) // never reads, so never answers the close frame
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := tr.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("shutdown: %v", err)
	}
	waitFor(t, "connections dropped", func() bool { return tr.Connections() == 0 })
}

func TestDeadClientDropped(t *testing.T) {
	closes := make(closeRecorder, 4)
	_, url := newTestServer(t, wstransport.Config{
		PingInterval: 100 * time.Millisecond,
		PongTimeout:  100 * time.Millisecond,
		OnClose:      closes.hook,
	})
	alive, dead := dial(t, url), dial(t, url)
	alive.init(nil)
	dead.init(nil) // then reads nothing, so answers no ping
	for range 50 { // reading, the live client answers the server's pings
		time.Sleep(10 * time.Millisecond)
		alive.send("ping", "", nil)
		alive.expect("pong", "")
	}
	if code, reason := closes.next(t); code != websocket.CloseAbnormalClosure || reason != "keep-alive timeout" {
		t.Fatalf("closed %d %q", code, reason)
	}
	select {
	case c := <-closes:
		t.Fatalf("live client closed: %v", c)
	default:
	}
}
