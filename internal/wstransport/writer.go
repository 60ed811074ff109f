package wstransport

import (
	"time"

	"github.com/gorilla/websocket"
)

// writeLoop is the connection's only writer of data messages: it drains the
// send queue, sends keep-alives and finally the close frame.
func (c *conn) writeLoop() {
	defer close(c.writerDone)
	var tick <-chan time.Time
	if c.cfg.PingInterval > 0 {
		ticker := time.NewTicker(c.cfg.PingInterval)
		defer ticker.Stop()
		tick = ticker.C
	}
	var batch [][]byte
	for {
		select {
		case <-c.out.ready:
			var ok bool
			if batch, ok = c.writeQueued(batch, false); !ok {
				return
			}
		case <-tick:
			if !c.keepAlive() {
				return
			}
		case <-c.closing:
			c.writeClose(batch)
			return
		}
	}
}

// writeQueued writes what is queued. Unless final, it stops early when the
// connection starts closing. It reports false when a write failed, after
// dropping the connection.
func (c *conn) writeQueued(batch [][]byte, final bool) ([][]byte, bool) {
	batch = c.out.take(batch)
	defer clear(batch)
	for _, msg := range batch {
		if !final && c.isClosing() && !c.closed.flush {
			return batch, true // the rest is dropped: no flush wanted
		}
		if err := c.write(websocket.TextMessage, msg); err != nil {
			c.drop("write failed")
			return batch, false
		}
	}
	return batch, true
}

// write writes one message within the write timeout.
func (c *conn) write(kind int, msg []byte) error {
	if err := c.ws.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(kind, msg)
}

// keepAlive checks that the client was heard from lately and pings it. It
// reports false when the connection was dropped.
func (c *conn) keepAlive() bool {
	silent := time.Since(time.Unix(0, c.lastRead.Load()))
	if silent > c.cfg.PingInterval+c.cfg.PongTimeout {
		c.drop("keep-alive timeout")
		return false
	}
	deadline := time.Now().Add(c.cfg.WriteTimeout)
	if err := c.ws.WriteControl(websocket.PingMessage, nil, deadline); err != nil {
		c.drop("write failed")
		return false
	}
	// A backstop in case this goroutine stalls: the reader gives up too.
	_ = c.ws.SetReadDeadline(time.Now().Add(2*c.cfg.PingInterval + c.cfg.PongTimeout))
	var msg []byte
	switch {
	case c.legacy:
		msg = encode(msgKeepAlive, "", nil)
	case c.cfg.ProtocolPing:
		msg = encode(msgPing, "", nil)
	default:
		return true
	}
	if err := c.write(websocket.TextMessage, msg); err != nil {
		c.drop("write failed")
		return false
	}
	return true
}

// writeClose flushes pending messages if asked, sends the close frame if
// asked, and gives the client closeGrace to answer with its own.
func (c *conn) writeClose(batch [][]byte) {
	info := c.closed
	if !info.frame {
		return
	}
	if info.flush {
		if _, ok := c.writeQueued(batch, true); !ok {
			return
		}
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
