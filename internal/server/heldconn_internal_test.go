package server

import (
	"io"
	"net"
	"syscall"
	"testing"
)

// TestHeldConnKeepsTheSocketReachable checks that a held connection gives
// its socket's raw connection (websockets write frames to it without a
// goroutine each, see internal/wstransport) and that what it holds past
// maxHeld goes out in order.
func TestHeldConnKeepsTheSocketReachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	received := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			received <- nil
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		received <- b
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := &heldConn{Conn: raw}
	var _ syscall.Conn = c
	if _, err := c.SyscallConn(); err != nil {
		t.Fatalf("no raw connection through a held one: %v", err)
	}
	c.hold()
	first, second := make([]byte, maxHeld-10), []byte("0123456789abcdef")
	for i := range first {
		first[i] = 'x'
	}
	_, _ = c.Write(first)
	_, _ = c.Write(second) // past maxHeld: the held bytes, then these
	_, _ = c.Write([]byte("!"))
	if err := c.release(); err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	got := <-received
	want := string(first) + string(second) + "!"
	if string(got) != want {
		t.Fatalf("received %d bytes ending %q, want %d ending %q", len(got), tail(got), len(want), tail([]byte(want)))
	}
}

func tail(b []byte) string { return string(b[max(0, len(b)-20):]) }
