package server

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"syscall"

	"github.com/bridgesoftrust/hub/internal/gqlexec"
)

// heldConn is an HTTP connection whose writes an answer can hold, to send
// the whole answer in one system call. net/http writes an answer through
// a buffer of 4 KiB in front of the socket, which it does not let a
// server size: an answer larger than that (a municipality's page is about
// 5 KB) goes out in two writes, the headers with the first part, then the
// rest. On loopback or a local network each write is a TCP send that
// wakes the reader, about a twentieth of the Hub's processor time per
// page on these machines. The POST transport holds the connection while
// it answers (holdAnswer) and sends the answer when it is complete.
// Written by hand: neither net/http nor a module offers it.
type heldConn struct {
	net.Conn
	mu sync.Mutex
	// held keeps the answer's bytes while it is written: a buffer of the
	// executor's pool (gqlexec.ResponseBuffer), so that an idle
	// connection keeps none.
	held *bytes.Buffer
}

// maxHeld bounds what a held connection keeps: past it, the answer goes
// on in the writes net/http makes.
const maxHeld = 1 << 20

// heldListener wraps the connections a listener accepts as heldConns.
type heldListener struct{ net.Listener }

// Accept implements net.Listener.
func (l heldListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &heldConn{Conn: c}, nil
}

// Write implements net.Conn: held, p waits for release.
func (c *heldConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held != nil && c.held.Len()+len(p) <= maxHeld {
		return c.held.Write(p)
	}
	if err := c.flushLocked(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// hold keeps the connection's writes until release.
func (c *heldConn) hold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held == nil {
		c.held = gqlexec.ResponseBuffer()
	}
}

// release sends what was held in one write and stops holding.
func (c *heldConn) release() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.flushLocked()
	if c.held != nil {
		gqlexec.ReleaseResponse(c.held.Bytes())
		c.held = nil
	}
	return err
}

// flushLocked writes what is held (c.mu held).
func (c *heldConn) flushLocked() error {
	if c.held == nil || c.held.Len() == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.held.Bytes())
	c.held.Reset()
	return err
}

// SyscallConn gives the socket's raw connection, which websockets taken
// over from net/http write to without waiting (see internal/wstransport).
func (c *heldConn) SyscallConn() (syscall.RawConn, error) {
	sc, ok := c.Conn.(syscall.Conn)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	return sc.SyscallConn()
}

// CloseWrite shuts the socket's sending side, which net/http does before
// closing a connection whose request it could not read whole.
func (c *heldConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

type heldConnKey struct{}

// withHeldConn is the server's ConnContext: a request's context carries
// its connection when it is a heldConn.
func withHeldConn(ctx context.Context, c net.Conn) context.Context {
	if hc, ok := c.(*heldConn); ok {
		return context.WithValue(ctx, heldConnKey{}, hc)
	}
	return ctx
}

// holdAnswer holds the connection of r (HTTP/1.x only: HTTP/2 interleaves
// answers on one connection) while its answer is written to w, and
// returns the function that sends it: it flushes net/http's buffers into
// the held connection, then writes them in one go. Without a heldConn it
// does nothing.
func holdAnswer(w http.ResponseWriter, r *http.Request) (send func()) {
	hc, ok := r.Context().Value(heldConnKey{}).(*heldConn)
	if !ok || r.ProtoMajor != 1 {
		return func() {}
	}
	hc.hold()
	return func() {
		_ = http.NewResponseController(w).Flush()
		_ = hc.release()
	}
}
