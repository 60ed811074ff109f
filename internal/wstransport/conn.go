package wstransport

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gorilla/websocket"
)

// closeGrace is how long the server waits for the client's close frame
// after sending its own before dropping the TCP connection.
const closeGrace = 2 * time.Second

// conn is one websocket connection. The goroutine that runs serve reads; a
// single writer goroutine, running while there is something to write,
// writes; each operation runs in its own goroutine, and a subscription
// that announces its values (see package readiness) only while it has
// some to send.
type conn struct {
	t       *Transport
	cfg     *Config
	ws      *websocket.Conn
	raw     syscall.RawConn // the socket, for writes without waiting; nil if unavailable
	exec    graphql.GraphExecutor
	legacy  bool // graphql-ws (subscriptions-transport-ws) rather than graphql-transport-ws
	headers http.Header
	remote  string
	started time.Time

	base   context.Context // values of the request, cancelled when the connection ends
	cancel context.CancelFunc
	opCtx  context.Context // base as returned by InitFunc; set by the reader before acked

	initReceived atomic.Bool
	acked        bool // reader only
	lastRead     atomic.Int64

	mu  sync.Mutex
	ops operations

	out        sendQueue
	pingTimer  *time.Timer // keep-alive
	initTimer  *time.Timer // connection_init timeout
	closeOnce  sync.Once
	closing    chan struct{} // closed when the connection starts to close
	closed     closeInfo     // set once, before closing is closed
	writerDone chan struct{} // closed when the writer has done its last task
}

// closeInfo says how a connection ended.
type closeInfo struct {
	code   int
	reason string
	frame  bool // the server sends a close frame (false: the client did or the link is gone)
	flush  bool // queued messages are written before the close frame
}

func newConn(t *Transport, ws *websocket.Conn, r *http.Request, exec graphql.GraphExecutor) *conn {
	base, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	c := &conn{
		t: t, cfg: &t.cfg, ws: ws, raw: rawConn(ws.NetConn()), exec: exec,
		legacy:     ws.Subprotocol() == ProtocolLegacyWS,
		headers:    operationHeaders(r.Header),
		remote:     r.RemoteAddr,
		started:    time.Now(),
		base:       base,
		cancel:     cancel,
		opCtx:      base,
		out:        sendQueue{limit: t.cfg.SendBufferSize},
		closing:    make(chan struct{}),
		writerDone: make(chan struct{}),
	}
	// InitFunc and the operations find the connection (ConnFromContext).
	c.base = context.WithValue(c.base, connKey{}, c)
	c.opCtx = c.base
	c.lastRead.Store(time.Now().UnixNano())
	return c
}

// operationHeaders returns the request headers that the connection's
// operations see (gqlgen's RawParams.Headers): all but those of the
// websocket handshake, which mean nothing once it is done. Most clients
// send nothing else, so most connections keep no headers at all.
func operationHeaders(h http.Header) http.Header {
	var kept http.Header
	for name, values := range h {
		switch {
		case name == "Upgrade", name == "Connection", strings.HasPrefix(name, "Sec-Websocket-"):
			continue
		}
		if kept == nil {
			kept = make(http.Header, len(h))
		}
		kept[name] = values
	}
	return kept
}

// serve runs the connection until it ends.
func (c *conn) serve() {
	c.cfg.Logger.DebugContext(c.base, "websocket connected", "remote", c.remote, "subprotocol", c.ws.Subprotocol())
	c.ws.SetReadLimit(c.cfg.MaxMessageSize)
	c.ws.SetPongHandler(func(string) error {
		c.touch()
		return nil
	})
	c.ws.SetPingHandler(c.answerPing)
	// gorilla would answer a close frame by writing its own; the writer
	// does (see readFailed), as it alone writes to the socket.
	c.ws.SetCloseHandler(func(int, string) error { return nil })
	if c.cfg.PingInterval > 0 {
		c.pingTimer = time.AfterFunc(c.cfg.PingInterval, c.keepAliveDue)
		defer c.pingTimer.Stop()
	}
	if c.cfg.InitTimeout > 0 {
		c.initTimer = time.AfterFunc(c.cfg.InitTimeout, c.initTimedOut)
		defer c.stopInitTimer()
	}
	c.readLoop()
	c.finish()
}

// readLoop reads and handles messages until the socket fails or closes.
func (c *conn) readLoop() {
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.readFailed(err)
			return
		}
		c.touch()
		if c.isClosing() {
			continue // wait for the client's close frame, ignoring the rest
		}
		c.handle(data)
	}
}

// handle handles one message on a short-lived goroutine and waits for it.
// Handling a message (authentication, parsing and validating an operation)
// grows the stack of the goroutine that does it, and the reader's stays
// as large while the connection idles, until collections shrink it by
// halves: kept off the reader, an idle connection's one goroutine keeps a
// small stack.
func (c *conn) handle(data []byte) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if c.legacy {
			c.handleLegacy(data)
		} else {
			c.handleTransportWS(data)
		}
	}()
	<-done
}

// answerPing answers a WebSocket ping frame with a pong frame.
func (c *conn) answerPing(data string) error {
	c.touch()
	c.send(controlFrame(opPong, []byte(data)))
	return nil
}

// touch notes that something was read from the client.
func (c *conn) touch() { c.lastRead.Store(time.Now().UnixNano()) }

// readFailed records why reading stopped, unless the server was closing.
func (c *conn) readFailed(err error) {
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case errors.As(err, &ce):
		// The close handshake: the client's close frame is answered with
		// its code (none when it gave none); a lost connection is not.
		c.closeWith(closeInfo{code: ce.Code, reason: ce.Text, frame: ce.Code != websocket.CloseAbnormalClosure})
	case errors.Is(err, websocket.ErrReadLimit):
		c.closeWith(closeInfo{code: websocket.CloseMessageTooBig, reason: "message too big"})
	case errors.As(err, &ne) && ne.Timeout():
		c.closeWith(closeInfo{code: websocket.CloseAbnormalClosure, reason: "read timeout"})
	default:
		c.closeWith(closeInfo{code: websocket.CloseAbnormalClosure, reason: "connection lost"})
	}
}

// stopInitTimer stops the connection_init timeout and lets the timer go,
// which an idle connection has no use for. Only the reader calls it.
func (c *conn) stopInitTimer() {
	if c.initTimer != nil {
		c.initTimer.Stop()
		c.initTimer = nil
	}
}

// initTimedOut closes the connection if no connection_init came in time.
func (c *conn) initTimedOut() {
	if !c.initReceived.Load() {
		c.closeWith(closeInfo{code: CloseInitTimeout, reason: reasonInitTimeout, frame: true})
	}
}

// fail closes the connection with a protocol close code; pending messages
// are written first.
func (c *conn) fail(code int, reason string) {
	c.closeWith(closeInfo{code: code, reason: trimReason(reason), frame: true, flush: true})
}

// closeWith starts closing the connection, once: the writer sends the close
// frame (if info.frame) and the operations are cancelled.
func (c *conn) closeWith(info closeInfo) {
	c.closeOnce.Do(func() {
		c.closed = info
		close(c.closing)
		c.wake(c.out.finish())
		c.cancel()
		c.stopAll()
	})
}

func (c *conn) isClosing() bool {
	select {
	case <-c.closing:
		return true
	default:
		return false
	}
}

// send queues a message for the writer. A full queue closes the connection
// as a slow consumer; it never blocks.
func (c *conn) send(msg []byte) {
	res, start := c.out.push(msg)
	c.wake(start)
	if res == full {
		c.closeWith(closeInfo{code: CloseSlowConsumer, reason: reasonSlowConsumer, frame: true})
	}
}

// finish releases the connection after the reader stopped.
func (c *conn) finish() {
	c.closeWith(closeInfo{code: websocket.CloseAbnormalClosure, reason: "connection lost"})
	// The writer's last task may be the answer to the client's close frame:
	// it gets closeGrace before the socket is closed under it (which also
	// unblocks a writer stuck on a dead peer).
	grace := time.NewTimer(closeGrace)
	select {
	case <-c.writerDone:
	case <-grace.C:
	}
	grace.Stop()
	_ = c.ws.NetConn().Close()
	<-c.writerDone
	c.t.untrack(c)
	c.logClosed()
	if c.cfg.OnClose != nil {
		c.cfg.OnClose(c.opCtx, c.closed.code, c.closed.reason)
	}
}

// logClosed writes the disconnect record: Info for closes that tell of a
// problem, Debug for ordinary ones.
func (c *conn) logClosed() {
	level := slog.LevelInfo
	switch c.closed.code {
	case websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived:
		level = slog.LevelDebug
	}
	c.cfg.Logger.Log(c.base, level, "websocket disconnected",
		"remote", c.remote, "subprotocol", c.ws.Subprotocol(),
		"code", c.closed.code, "reason", c.closed.reason,
		"duration", time.Since(c.started).Round(time.Millisecond))
}
