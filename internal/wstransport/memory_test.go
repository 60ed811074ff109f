package wstransport_test

import (
	"net"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/wstransport"
	"github.com/bridgesoftrust/hub/internal/wstransport/wstest"
)

// BenchmarkIdleSubscribedConnection reports the server memory (heap and
// stacks in use) held by one idle connection with one running subscription,
// measured over 1000 connections, as B/conn. The clients are bare TCP
// sockets without goroutines, so nearly all of the figure is the server's:
// the transport's reader goroutine, the operation's goroutine (the test
// schema's subscription does not announce its values), buffers and state,
// and gqlgen's operation context.
//
//	go test -run '^$' -bench IdleSubscribed -benchtime 3x ./internal/wstransport
func BenchmarkIdleSubscribedConnection(b *testing.B) {
	for range b.N {
		b.ReportMetric(idleConnectionBytes(b, 1000), "B/conn")
	}
}

// idleConnectionBytes opens n subscribed connections and returns the growth
// of heap and stack in use, divided by n.
func idleConnectionBytes(b *testing.B, n int) float64 {
	b.StopTimer()
	defer b.StartTimer()
	h := newHub()
	tr := wstransport.New(wstransport.Config{})
	addr := strings.TrimPrefix(mount(b, h.server(), tr), "ws://")
	rawSubscribe(b, addr).Close() // warm up pools and caches
	waitFor(b, "warm-up", func() bool { return tr.Connections() == 0 })
	heap0, stack0 := wstest.InUse()
	conns := make([]net.Conn, 0, n)
	for range n {
		conns = append(conns, rawSubscribe(b, addr))
	}
	waitFor(b, "subscriptions", func() bool { return h.count() == n })
	heap1, stack1 := wstest.InUse()
	for _, c := range conns {
		_ = c.Close()
	}
	return float64(heap1+stack1-heap0-stack0) / float64(n)
}

// rawSubscribe opens a bare websocket (see wstest.Dial) and sends
// connection_init and a subscription; it reads nothing after the handshake.
func rawSubscribe(tb testing.TB, addr string) net.Conn {
	tb.Helper()
	c := wstest.Dial(tb, addr, "/", wstransport.ProtocolTransportWS)
	wstest.WriteFrame(tb, c, []byte(`{"type":"connection_init"}`))
	wstest.WriteFrame(tb, c, []byte(`{"type":"subscribe","id":"1","payload":{"query":"subscription { events }"}}`))
	return c
}
