package wstransport_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/testserver"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bridgesoftrust/hub/internal/readiness"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// wait bounds every read and wait in these tests; it is a hang guard, not
// a performance assertion.
const wait = 10 * time.Second

// mount serves h with tr (plus POST) on an httptest server and shuts both
// down at the end of the test. It returns the ws:// URL.
func mount(t testing.TB, h *handler.Server, tr *wstransport.Transport) string {
	t.Helper()
	h.AddTransport(tr)
	h.AddTransport(transport.POST{})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := tr.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		srv.Close()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// newTestServer mounts gqlgen's testserver with a transport configured by cfg.
func newTestServer(t *testing.T, cfg wstransport.Config) (*testserver.TestServer, string) {
	t.Helper()
	ts := testserver.New()
	return ts, mount(t, ts.Server, wstransport.New(cfg))
}

// message is a protocol message as the client sees it.
type message struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// client is a test websocket client.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

// dial connects with the given subprotocols (graphql-transport-ws if none).
func dial(t *testing.T, url string, protocols ...string) *client {
	t.Helper()
	return dialWith(t, url, nil, protocols...)
}

// dialWith is dial with request headers.
func dialWith(t *testing.T, url string, header http.Header, protocols ...string) *client {
	t.Helper()
	if len(protocols) == 0 {
		protocols = []string{wstransport.ProtocolTransportWS}
	}
	d := websocket.Dialer{Subprotocols: protocols, HandshakeTimeout: wait}
	ws, resp, err := d.Dial(url, header)
	if err != nil {
		t.Fatalf("dial: %v (response %v)", err, resp)
	}
	t.Cleanup(func() { _ = ws.Close() })
	return &client{t: t, ws: ws}
}

// sendRaw writes a text message.
func (c *client) sendRaw(s string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(s)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// send writes a protocol message; payload is marshalled unless nil.
func (c *client) send(typ, id string, payload any) {
	c.t.Helper()
	m := message{Type: typ, ID: id}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			c.t.Fatal(err)
		}
		m.Payload = b
	}
	b, _ := json.Marshal(m)
	c.sendRaw(string(b))
}

// read returns the next message, failing the test on error.
func (c *client) read() message {
	c.t.Helper()
	m, err := c.tryRead()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *client) tryRead() (message, error) {
	_ = c.ws.SetReadDeadline(time.Now().Add(wait))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		return message{}, err
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		c.t.Fatalf("server sent invalid JSON %q: %v", data, err)
	}
	return m, nil
}

// expect reads the next message and checks its type and id.
func (c *client) expect(typ, id string) message {
	c.t.Helper()
	m := c.read()
	if m.Type != typ || m.ID != id {
		c.t.Fatalf("got %s id=%q payload=%s, want %s id=%q", m.Type, m.ID, m.Payload, typ, id)
	}
	return m
}

// init sends connection_init with payload and expects connection_ack.
func (c *client) init(payload any) message {
	c.t.Helper()
	c.send("connection_init", "", payload)
	return c.expect("connection_ack", "")
}

// subscribe sends subscribe (or start on graphql-ws) for query.
func (c *client) subscribe(typ, id, query string) {
	c.t.Helper()
	c.send(typ, id, map[string]any{"query": query})
}

// expectClose reads until the socket closes and checks the close code and,
// unless reason is "*", the reason. Messages before the close are skipped.
func (c *client) expectClose(code int, reason string) {
	c.t.Helper()
	for {
		_, err := c.tryRead()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			c.t.Fatalf("want close %d %q, got %v", code, reason, err)
		}
		c.t.Logf("closed: %d %q", ce.Code, ce.Text)
		if ce.Code != code || (reason != "*" && ce.Text != reason) {
			c.t.Fatalf("closed with %d %q, want %d %q", ce.Code, ce.Text, code, reason)
		}
		return
	}
}

// ---- a small pub/sub schema, to drive several subscribers at once ----

type viewerKey struct{}

// probeKey carries the flag that the test schema sets when it reads the
// viewer (see wstransport.Config.Probe).
type probeKey struct{}

// probeViewer is a Config.Probe for the test schema.
func probeViewer(ctx context.Context) (context.Context, func() bool) {
	read := &atomic.Bool{}
	return context.WithValue(ctx, probeKey{}, read), read.Load
}

// hub is an executable schema whose subscription "events" receives what
// publish sends, and whose query "viewer" returns the viewer set by InitFunc.
type hub struct {
	mu        sync.Mutex
	subs      map[chan string]<-chan struct{}
	signalled map[chan string]func(readiness.Value) // announced subscriptions: channel and notify
	executed  atomic.Int64                          // results of "signalled" executed
}

var hubSchema = gqlparser.MustLoadSchema(&ast.Source{Input: `
	type Query { viewer: String! boom: String! client: String! headers: String! }
	type Subscription { events: String! signalled: String! plain: String! }
`})

func newHub() *hub {
	return &hub{subs: map[chan string]<-chan struct{}{}, signalled: map[chan string]func(readiness.Value){}}
}

// server returns a gqlgen handler for the hub's schema.
func (h *hub) server() *handler.Server {
	return handler.New(&graphql.ExecutableSchemaMock{
		SchemaFunc:     func() *ast.Schema { return hubSchema },
		ExecFunc:       h.exec,
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) { return 1, true },
	})
}

func (h *hub) exec(ctx context.Context) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx).Operation; op.Operation == ast.Subscription {
		if name := op.SelectionSet[0].(*ast.Field).Name; name == "signalled" || name == "plain" {
			return h.subscribeSignalled(ctx, name)
		}
		return h.subscribe(ctx)
	}
	var data map[string]string
	switch field := graphql.GetOperationContext(ctx).Operation.SelectionSet[0].(*ast.Field).Name; field {
	case "boom":
		return func(context.Context) *graphql.Response { panic("boom") }
	case "client": // from the connection_init payload
		data = map[string]string{field: wstransport.GetInitPayload(ctx).GetString("client")}
	case "headers": // the request headers an operation sees
		h := graphql.GetOperationContext(ctx).Headers
		data = map[string]string{field: h.Get("X-Client") + "|" + h.Get("Sec-Websocket-Key") + "|" + h.Get("Upgrade")}
	default:
		viewer, _ := ctx.Value(viewerKey{}).(string)
		if viewer == "" {
			viewer = "anonymous"
		}
		data = map[string]string{field: viewer}
	}
	b, _ := json.Marshal(data)
	return graphql.OneShot(&graphql.Response{Data: b})
}

func (h *hub) subscribe(ctx context.Context) graphql.ResponseHandler {
	ch := make(chan string)
	h.mu.Lock()
	h.subs[ch] = ctx.Done()
	h.mu.Unlock()
	context.AfterFunc(ctx, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	})
	return func(context.Context) *graphql.Response {
		select {
		case <-ctx.Done():
			return nil
		case s := <-ch:
			b, _ := json.Marshal(map[string]string{"events": s})
			return &graphql.Response{Data: b}
		}
	}
}

// subscribeSignalled is subscription "signalled": it claims the readiness
// signal and announces every value it sends (see publishSignalled), as the
// Hub's Feed does.
// Subscription "plain" is the same but never reads the viewer.
func (h *hub) subscribeSignalled(ctx context.Context, field string) graphql.ResponseHandler {
	ch := make(chan string, 1000)
	notify := readiness.Claim(ctx, func() {
		h.mu.Lock()
		delete(h.signalled, ch)
		h.mu.Unlock()
	})
	if notify == nil {
		panic("the transport offered no readiness signal")
	}
	h.mu.Lock()
	h.signalled[ch] = notify
	h.mu.Unlock()
	return func(ctx context.Context) *graphql.Response {
		select {
		case <-ctx.Done():
			return nil
		case s := <-ch:
			h.executed.Add(1)
			if field == "signalled" {
				if probe, _ := ctx.Value(probeKey{}).(*atomic.Bool); probe != nil {
					probe.Store(true)
				}
				if viewer, _ := ctx.Value(viewerKey{}).(string); viewer != "" {
					s += " for " + viewer
				}
			}
			b, _ := json.Marshal(map[string]string{field: s})
			return &graphql.Response{Data: b}
		}
	}
}

// publishSignalled sends s to every signalled subscription and announces
// it, keyed alike for all of them (see readiness.Value).
func (h *hub) publishSignalled(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	key := new(string)
	for ch, notify := range h.signalled {
		ch <- s
		notify(readiness.Value{Key: key, Skip: func() {
			select {
			case <-ch:
			default:
			}
		}})
	}
}

// signalledCount returns the number of live signalled subscriptions.
func (h *hub) signalledCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.signalled)
}

// publish hands s to every subscriber, waiting until each took it (or was
// cancelled): a transport that blocked would block publish.
func (h *hub) publish(s string) {
	h.mu.Lock()
	subs := make(map[chan string]<-chan struct{}, len(h.subs))
	for ch, done := range h.subs {
		subs[ch] = done
	}
	h.mu.Unlock()
	for ch, done := range subs {
		select {
		case ch <- s:
		case <-done:
		}
	}
}

// count returns the number of live subscriptions.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// waitFor polls cond until it holds or the hang guard runs out.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// bearerInit accepts "Bearer good-<name>" as viewer <name>.
var bearerInit = wstransport.BearerAuth(func(ctx context.Context, token string) (context.Context, error) {
	if token == "" {
		return ctx, nil
	}
	name, ok := strings.CutPrefix(token, "good-")
	if !ok {
		return ctx, errors.New("invalid token")
	}
	return context.WithValue(ctx, viewerKey{}, name), nil
})

// httpStatus dials and returns the HTTP status of a refused handshake.
func httpStatus(t *testing.T, url string, header http.Header, protocols ...string) int {
	t.Helper()
	d := websocket.Dialer{Subprotocols: protocols, HandshakeTimeout: wait}
	ws, resp, err := d.Dial(url, header)
	if err == nil {
		_ = ws.Close()
		return http.StatusSwitchingProtocols
	}
	if resp == nil {
		t.Fatalf("dial: %v", err)
	}
	return resp.StatusCode
}
