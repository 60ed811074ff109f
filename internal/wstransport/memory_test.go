package wstransport_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"net"
	"runtime"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/wstransport"
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
	before := inUse()
	conns := make([]net.Conn, 0, n)
	for range n {
		conns = append(conns, rawSubscribe(b, addr))
	}
	waitFor(b, "subscriptions", func() bool { return h.count() == n })
	after := inUse()
	for _, c := range conns {
		_ = c.Close()
	}
	return float64(after-before) / float64(n)
}

// inUse returns heap and stack bytes in use after a few collections (which
// also shrink the stacks that grew while handling the first messages).
func inUse() int64 {
	for range 4 {
		runtime.GC()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

// rawSubscribe opens a websocket by hand on a bare TCP connection and sends
// connection_init and a subscription; it reads nothing after the handshake.
func rawSubscribe(tb testing.TB, addr string) net.Conn {
	tb.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = c.Write([]byte("GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Protocol: " + wstransport.ProtocolTransportWS + "\r\n\r\n"))
	if err != nil {
		tb.Fatal(err)
	}
	r := bufio.NewReaderSize(c, 512)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			tb.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	writeFrame(tb, c, `{"type":"connection_init"}`)
	writeFrame(tb, c, `{"type":"subscribe","id":"1","payload":{"query":"subscription { events }"}}`)
	return c
}

// writeFrame writes a client text frame, masked with a zero key.
func writeFrame(tb testing.TB, c net.Conn, payload string) {
	tb.Helper()
	var f bytes.Buffer
	f.WriteByte(0x81) // FIN, text
	if len(payload) < 126 {
		f.WriteByte(0x80 | byte(len(payload)))
	} else {
		f.WriteByte(0x80 | 126)
		_ = binary.Write(&f, binary.BigEndian, uint16(len(payload)))
	}
	f.Write([]byte{0, 0, 0, 0}) // mask key
	f.WriteString(payload)
	if _, err := c.Write(f.Bytes()); err != nil {
		tb.Fatal(err)
	}
}
