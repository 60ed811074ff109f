package subscriptiontest

import (
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/wstransport"
	"github.com/bridgesoftrust/hub/internal/wstransport/wstest"
)

// BenchmarkIdleSubscribedConnection reports the memory (heap and stacks in
// use, after collections) that the Hub's server holds for one idle
// connection with one postAdded subscription of a signed-in user, measured
// over 2,000 connections on SQLite, as B/conn, split into heap-B/conn and
// stack-B/conn. The clients are bare TCP sockets without goroutines, so
// the figures are the server's. cmd/hubload measures the resident memory
// of a `hub serve` process instead (see docs/realtime.md).
//
//	go test -run '^$' -bench IdleSubscribed -benchtime 3x ./graph/subscriptiontest
func BenchmarkIdleSubscribedConnection(b *testing.B) {
	for range b.N {
		heap, stack := idleConnectionBytes(b, 2000)
		b.ReportMetric(heap+stack, "B/conn")
		b.ReportMetric(heap, "heap-B/conn")
		b.ReportMetric(stack, "stack-B/conn")
	}
}

// idleConnectionBytes opens n subscribed connections to a fresh Hub and
// returns the growth of heap and stack in use, divided by n.
func idleConnectionBytes(b *testing.B, n int) (heap, stack float64) {
	b.StopTimer()
	defer b.StartTimer()
	h := newDatabase(b, "sqlite").serve(b, nil)
	admin, alice := h.secretariat(), h.user()
	topic := h.topic(alice, h.category(admin, "general", "MEMBERS"), "Memory")
	events := live.TopicPosts(topicOf(b, topic))
	subscribe := func() net.Conn { return rawSubscribe(b, strings.TrimPrefix(h.url, "http://"), alice.token, topic) }
	subscribe().Close() // warm up pools and caches
	h.events.waitFor(b, events, 0)
	heap0, stack0 := wstest.InUse()
	conns := make([]net.Conn, 0, n)
	for range n {
		conns = append(conns, subscribe())
	}
	h.events.waitFor(b, events, n)
	heap1, stack1 := wstest.InUse()
	for _, c := range conns {
		_ = c.Close()
	}
	h.events.waitFor(b, events, 0)
	return float64(heap1-heap0) / float64(n), float64(stack1-stack0) / float64(n)
}

// rawSubscribe opens a bare websocket to /graphql (see wstest.Dial), sends
// connection_init with token and subscribes to the posts of topic; it
// reads nothing after the handshake.
func rawSubscribe(tb testing.TB, addr, token, topic string) net.Conn {
	tb.Helper()
	c := wstest.Dial(tb, addr, "/graphql", wstransport.ProtocolTransportWS)
	init, _ := json.Marshal(message{Type: "connection_init", Payload: mustMarshal(initPayload(token))})
	sub, _ := json.Marshal(message{Type: "subscribe", ID: "1", Payload: mustMarshal(map[string]any{
		"query": postAdded, "variables": vars{"t": topic}})})
	wstest.WriteFrame(tb, c, init)
	wstest.WriteFrame(tb, c, sub)
	return c
}

func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
