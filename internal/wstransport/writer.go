package wstransport

import (
	"time"

	"github.com/gorilla/websocket"
)

// wake starts the writer goroutine when the queue says none is running.
func (c *conn) wake(start bool) {
	if start {
		go c.writeLoop()
	}
}

// writeLoop is the connection's writer: it writes the queued messages and
// keep-alives, and at the end the close frame. It exits when the queue is
// empty (the next producer starts it again) and for good after the close.
func (c *conn) writeLoop() {
	var batch [][]byte
	for {
		w, ok := c.out.next(batch)
		if !ok {
			return
		}
		if w.final {
			c.writeClose(w.items)
			close(c.writerDone)
			return
		}
		batch = c.writeQueued(w.items)
		if w.ping {
			c.keepAlive()
		}
	}
}

// writeQueued writes items, stopping early once the connection is closing
// without flush. It returns items, cleared, for reuse.
func (c *conn) writeQueued(items [][]byte) [][]byte {
	defer clear(items)
	for _, msg := range items {
		if c.isClosing() && !c.closed.flush {
			break // the rest is dropped: no flush wanted
		}
		if err := c.write(websocket.TextMessage, msg); err != nil {
			c.drop("write failed")
			break
		}
	}
	return items
}

// write writes one message within the write timeout.
func (c *conn) write(kind int, msg []byte) error {
	if err := c.ws.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(kind, msg)
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
	deadline := time.Now().Add(c.cfg.WriteTimeout)
	if err := c.ws.WriteControl(websocket.PingMessage, nil, deadline); err != nil {
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
	if err := c.write(websocket.TextMessage, msg); err != nil {
		c.drop("write failed")
	}
}

// writeClose writes the remaining items if a flush was asked, then the close
// frame if one was asked, and gives the client closeGrace to answer with its
// own before the reader gives up.
func (c *conn) writeClose(items [][]byte) {
	info := c.closed
	if !info.frame {
		return
	}
	if info.flush {
		c.writeQueued(items)
	}
	frame := websocket.FormatCloseMessage(info.code, info.reason)
	_ = c.ws.WriteControl(websocket.CloseMessage, frame, time.Now().Add(c.cfg.WriteTimeout))
	_ = c.ws.SetReadDeadline(time.Now().Add(closeGrace))
}

// drop ends a connection whose peer is gone or stuck, without a close
// handshake: closing the socket stops the reader.
func (c *conn) drop(reason string) {
	c.closeWith(closeInfo{code: websocket.CloseAbnormalClosure, reason: reason})
	_ = c.ws.NetConn().Close()
}
