// Package wstest holds what the memory benchmarks of the websocket
// transport and of the Hub share: clients that are bare TCP sockets
// without goroutines, so that the memory measured is the server's, and the
// measurement itself.
package wstest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"net"
	"runtime"
	"testing"
)

// Dial opens a websocket to path on addr by hand, on a bare TCP
// connection, offering subprotocol, and reads the handshake's answer; it
// reads nothing after that.
func Dial(tb testing.TB, addr, path, subprotocol string) net.Conn {
	tb.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = c.Write([]byte("GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n"))
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
			return c
		}
	}
}

// WriteFrame writes a client text frame, masked with a zero key.
func WriteFrame(tb testing.TB, c net.Conn, payload []byte) {
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
	f.Write(payload)
	if _, err := c.Write(f.Bytes()); err != nil {
		tb.Fatal(err)
	}
}

// InUse returns the heap and stack bytes in use after a few collections
// (which also shrink the stacks that grew while handling the first
// messages).
func InUse() (heap, stack int64) {
	for range 4 {
		runtime.GC()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse), int64(m.StackInuse)
}
