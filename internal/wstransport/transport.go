package wstransport

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gorilla/websocket"
)

// Transport serves GraphQL over WebSocket. Create it with New; add it to a
// gqlgen handler.Server with AddTransport, before the GET transport.
type Transport struct {
	cfg      Config
	upgrader websocket.Upgrader
	origins  map[string]bool // lower-cased allowed origins
	anyOrig  bool
	drains   *drainPool
	shared   *sharedResults // nil without Config.ShareKey

	mu        sync.Mutex
	conns     map[*conn]struct{}
	shutdown  bool
	drained   chan struct{} // closed when shutting down and no connection is left
	drainOnce sync.Once
}

var _ graphql.Transport = (*Transport)(nil)

// New returns a Transport configured by cfg (see Config for the defaults).
func New(cfg Config) *Transport {
	cfg = cfg.withDefaults()
	t := &Transport{
		cfg:     cfg,
		conns:   map[*conn]struct{}{},
		origins: map[string]bool{},
		drained: make(chan struct{}),
		drains:  newDrainPool(cfg.DrainWorkers),
	}
	if cfg.ShareKey != nil {
		t.shared = newSharedResults()
	}
	for _, o := range cfg.AllowedOrigins {
		if o == "*" {
			t.anyOrig = true
		}
		t.origins[strings.ToLower(strings.TrimRight(o, "/"))] = true
	}
	t.upgrader = websocket.Upgrader{
		ReadBufferSize:  cfg.ReadBufferSize,
		WriteBufferSize: cfg.WriteBufferSize,
		WriteBufferPool: &sync.Pool{}, // write buffers held only while writing
		Subprotocols:    []string{ProtocolTransportWS, ProtocolLegacyWS},
		CheckOrigin:     t.checkOrigin,
	}
	return t
}

// Supports reports whether r asks for a WebSocket upgrade.
func (t *Transport) Supports(r *http.Request) bool {
	return websocket.IsWebSocketUpgrade(r)
}

// Do upgrades the request and returns: the connection is then served by
// goroutines of its own until it closes, so that the HTTP server's
// per-request buffers and goroutine are freed (about 10 KiB per connection);
// access logs see a 101 response at once. A refused origin gets 403, a
// request during shutdown 503.
func (t *Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if t.isShuttingDown() {
		http.Error(w, "server shutting down", http.StatusServiceUnavailable)
		return
	}
	ws, err := t.upgrader.Upgrade(w, r, nil) // writes the HTTP error itself
	if err != nil {
		t.cfg.Logger.DebugContext(r.Context(), "websocket upgrade refused", "remote", r.RemoteAddr, "err", err)
		return
	}
	if ws.Subprotocol() == "" {
		t.refuseSubprotocol(ws, r)
		return
	}
	c := newConn(t, ws, r, exec)
	if !t.track(c) {
		c.closeWith(closeInfo{code: websocket.CloseGoingAway, reason: reasonShutdown, frame: true})
	}
	go c.serve()
}

// refuseSubprotocol closes a connection that offered no subprotocol spoken
// here with 4406.
func (t *Transport) refuseSubprotocol(ws *websocket.Conn, r *http.Request) {
	t.cfg.Logger.InfoContext(r.Context(), "websocket refused: no supported subprotocol",
		"remote", r.RemoteAddr, "offered", websocket.Subprotocols(r))
	frame := websocket.FormatCloseMessage(CloseSubprotocolNotAllowed, reasonSubprotocol)
	_ = ws.WriteControl(websocket.CloseMessage, frame, time.Now().Add(t.cfg.WriteTimeout))
	_ = ws.Close()
}

// checkOrigin allows requests without Origin (non-browser clients), from the
// request's own host, or from a listed origin.
func (t *Transport) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || t.anyOrig {
		return true
	}
	if t.origins[strings.ToLower(strings.TrimRight(origin, "/"))] {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

func (t *Transport) isShuttingDown() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.shutdown
}

// track registers a connection; false during shutdown.
func (t *Transport) track(c *conn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.shutdown {
		return false
	}
	t.conns[c] = struct{}{}
	return true
}

// untrack forgets a closed connection.
func (t *Transport) untrack(c *conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.conns, c)
	t.checkDrainedLocked()
}

// checkDrainedLocked closes drained once shutting down with no connection
// left. t.mu is held.
func (t *Transport) checkDrainedLocked() {
	if t.shutdown && len(t.conns) == 0 {
		t.drainOnce.Do(func() { close(t.drained) })
	}
}

// Connections returns the number of open connections.
func (t *Transport) Connections() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.conns)
}

// Shutdown refuses new connections and closes every open one with 1001
// (going away). It waits until they are gone or ctx ends; then it drops the
// rest and returns ctx's error. Call it next to http.Server.Shutdown, which
// does not track upgraded connections.
func (t *Transport) Shutdown(ctx context.Context) error {
	t.mu.Lock()
	t.shutdown = true
	t.checkDrainedLocked()
	conns := make([]*conn, 0, len(t.conns))
	for c := range t.conns {
		conns = append(conns, c)
	}
	t.mu.Unlock()

	for _, c := range conns {
		c.closeWith(closeInfo{code: websocket.CloseGoingAway, reason: reasonShutdown, frame: true, flush: true})
	}
	select {
	case <-t.drained:
		return nil
	case <-ctx.Done():
		for _, c := range conns {
			c.drop("shutdown deadline")
		}
		return ctx.Err()
	}
}
