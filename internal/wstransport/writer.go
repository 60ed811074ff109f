package wstransport

import (
	"errors"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// wake gets the queued frames written when the queue says no writer is
// running (start): first right here, without waiting (flushNow), then, for
// whatever the socket did not take at once, by the writer goroutine. A
// fan-out to thousands of connections thus mostly writes from the drain
// workers, without a goroutine per message.
func (c *conn) wake(start bool) {
	if start && !c.flushNow() {
		go c.writeLoop()
	}
}

// flushNow writes the queued frames as far as the socket takes them
// without waiting, on the caller's goroutine, which holds the writer role
// (the queue's running flag). It reports whether it wrote everything and
// gave the role back; otherwise the rest is queued again and the caller
// must start the writer goroutine, which inherits the role. Keep-alives,
// the close and connections without a raw socket are left to the writer.
func (c *conn) flushNow() bool {
	if c.raw == nil {
		return false
	}
	for {
		w, ok := c.out.next(nil)
		if !ok {
			return true // nothing left; the role was given back
		}
		if w.ping || w.final || c.isClosing() {
			c.out.requeue(w)
			return false
		}
		rest, cut, err := c.writeNow(w)
		if err != nil {
			c.drop("write failed") // the writer goroutine does the rest
			c.out.requeue(work{})
			return false
		}
		if len(rest) > 0 {
			c.out.requeue(work{items: rest, partial: cut})
			return false
		}
	}
}

// writeNow writes w's frames without waiting: it returns those the socket
// did not take, and whether the first of them is the end of a frame begun.
func (c *conn) writeNow(w work) (rest [][]byte, cut bool, err error) {
	for i, f := range w.items {
		n, err := c.tryWrite(f)
		if err != nil {
			return nil, false, err
		}
		if n < len(f) {
			w.items[i] = f[n:]
			return w.items[i:], n > 0 || (i == 0 && w.partial), nil
		}
	}
	return nil, false, nil
}

// tryWrite writes b with one non-blocking write(2) and returns how much
// the socket took.
func (c *conn) tryWrite(b []byte) (n int, err error) {
	werr := c.raw.Write(func(fd uintptr) bool {
		for {
			n, err = syscall.Write(int(fd), b)
			if err != syscall.EINTR {
				return true
			}
		}
	})
	switch {
	case errors.Is(werr, os.ErrDeadlineExceeded):
		return 0, nil // a deadline left set: the writer goroutine sees to it
	case werr != nil:
		return 0, werr
	case errors.Is(err, syscall.EAGAIN):
		return 0, nil
	case err != nil:
		return 0, err
	}
	return n, nil
}

// writeLoop is the connection's writer goroutine: it writes the queued
// frames and keep-alives, waiting on the socket as needed, and at the end
// the close frame. It exits when the queue is empty (the next producer
// starts it again) and for good after the close.
func (c *conn) writeLoop() {
	var batch [][]byte
	for {
		w, ok := c.out.next(batch)
		if !ok {
			return
		}
		if w.final {
			c.writeClose(w)
			close(c.writerDone)
			return
		}
		batch = c.writeQueued(w, false)
		if w.ping {
			c.keepAlive()
		}
	}
}

// writeQueued writes w's frames, stopping early once the connection is
// closing without flush (but finishing a frame begun, so the stream stays
// whole). It returns the items, cleared, for reuse.
func (c *conn) writeQueued(w work, flush bool) [][]byte {
	defer clear(w.items)
	for i, f := range w.items {
		begun := i == 0 && w.partial
		if !begun && !flush && c.isClosing() && !c.closed.flush {
			break // the rest is dropped: no flush wanted
		}
		if err := c.write(f); err != nil {
			c.drop("write failed")
			break
		}
	}
	return w.items
}

// write writes one frame (or its end) within the write timeout, then
// clears the deadline, which would otherwise fail the next write made
// without waiting (flushNow) once it passed.
func (c *conn) write(b []byte) error {
	nc := c.ws.NetConn()
	if err := nc.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout)); err != nil {
		return err
	}
	if _, err := nc.Write(b); err != nil {
		return err
	}
	return nc.SetWriteDeadline(time.Time{})
}

// keepAliveDue runs on the keep-alive timer: it drops a connection that was
// silent too long, else asks the writer for a keep-alive and re-arms.
func (c *conn) keepAliveDue() {
	if c.isClosing() {
		return
	}
	silent := time.Since(time.Unix(0, c.lastRead.Load()))
	if silent > c.cfg.PingInterval+c.cfg.PongTimeout {
		c.drop("keep-alive timeout")
		return
	}
	c.wake(c.out.keepAlive())
	c.pingTimer.Reset(c.cfg.PingInterval)
}

// keepAlive sends a WebSocket ping frame, and a ka (graphql-ws) or ping
// (graphql-transport-ws, if configured) message.
func (c *conn) keepAlive() {
	if c.isClosing() {
		return
	}
	if err := c.write(pingFrame); err != nil {
		c.drop("write failed")
		return
	}
	// A backstop should the keep-alive timer stall: the reader gives up too.
	_ = c.ws.SetReadDeadline(time.Now().Add(2*c.cfg.PingInterval + c.cfg.PongTimeout))
	var msg []byte
	switch {
	case c.legacy:
		msg = encode(msgKeepAlive, "", nil)
	case c.cfg.ProtocolPing:
		msg = encode(msgPing, "", nil)
	default:
		return
	}
	if err := c.write(msg); err != nil {
		c.drop("write failed")
	}
}

// writeClose writes the remaining frames if a flush was asked (else only
// the end of a frame begun), then the close frame if one was asked, and
// gives the client closeGrace to answer with its own before the reader
// gives up.
func (c *conn) writeClose(w work) {
	info := c.closed
	if !info.frame {
		return
	}
	if !info.flush && w.partial && len(w.items) > 0 {
		w.items = w.items[:1]
	}
	if info.flush || w.partial {
		c.writeQueued(w, true)
	}
	_ = c.write(closeFrame(info.code, info.reason))
	_ = c.ws.SetReadDeadline(time.Now().Add(closeGrace))
}

// drop ends a connection whose peer is gone or stuck, without a close
// handshake: closing the socket stops the reader.
func (c *conn) drop(reason string) {
	c.closeWith(closeInfo{code: websocket.CloseAbnormalClosure, reason: reason})
	_ = c.ws.NetConn().Close()
}

// rawConn returns the socket's raw connection for writes without waiting,
// or nil (e.g. TLS), when every frame goes through the writer goroutine.
func rawConn(nc net.Conn) syscall.RawConn {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return raw
}
