package subscriptiontest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// message is a graphql-transport-ws message.
type message struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// result is the payload of a next message.
type result struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqltest.Error `json:"errors"`
}

// wsClient is a graphql-transport-ws client. A goroutine reads every
// message into in; when the socket ends, in is closed and err says why.
type wsClient struct {
	t       testing.TB
	ws      *websocket.Conn
	in      chan message
	err     error // valid once in is closed
	pending map[string][]message
}

// dial opens a websocket to url offering the subprotocols
// (graphql-transport-ws if none); it sends nothing.
func dial(t testing.TB, url string, protocols ...string) *wsClient {
	t.Helper()
	if len(protocols) == 0 {
		protocols = []string{wstransport.ProtocolTransportWS}
	}
	d := websocket.Dialer{Subprotocols: protocols, HandshakeTimeout: wait}
	ws, resp, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v (response %v)", url, err, resp)
	}
	c := &wsClient{t: t, ws: ws, in: make(chan message, 256), pending: map[string][]message{}}
	t.Cleanup(func() { _ = ws.Close() })
	go c.read()
	return c
}

// connect opens a websocket to h as caller and waits for connection_ack.
func (h *hub) connect(as caller) *wsClient {
	h.t.Helper()
	c := dial(h.t, h.wsURL())
	c.init(as.token)
	return c
}

// read hands every message to c.in until the socket ends.
func (c *wsClient) read() {
	defer close(c.in)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.err = err
			return
		}
		var m message
		if err := json.Unmarshal(data, &m); err != nil {
			m = message{Type: "invalid JSON: " + string(data)}
		}
		c.in <- m
	}
}

// sendRaw writes a text message as it is.
func (c *wsClient) sendRaw(s string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(s)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// send writes a message; payload is encoded unless nil.
func (c *wsClient) send(typ, id string, payload any) {
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

// init sends connection_init with the bearer token (none if empty) and
// expects connection_ack.
func (c *wsClient) init(token string) {
	c.t.Helper()
	c.send("connection_init", "", initPayload(token))
	if m := c.recv(); m.Type != "connection_ack" {
		c.t.Fatalf("got %s %s, want connection_ack", m.Type, m.Payload)
	}
}

// initPayload is the connection_init payload carrying token.
func initPayload(token string) map[string]any {
	if token == "" {
		return map[string]any{}
	}
	return map[string]any{"authorization": "Bearer " + token}
}

// subscribe starts operation id.
func (c *wsClient) subscribe(id, query string, v vars) {
	c.t.Helper()
	c.send("subscribe", id, map[string]any{"query": query, "variables": v})
}

// recv returns the next message, failing the test if the socket ends or
// nothing comes within the hang guard.
func (c *wsClient) recv() message {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if !ok {
			c.t.Fatalf("socket ended: %v", c.err)
		}
		return m
	case <-time.After(wait):
		c.t.Fatalf("no message within %s", wait)
		return message{}
	}
}

// expect returns the next message of operation id; messages of other
// operations are kept for later.
func (c *wsClient) expect(id string) message {
	c.t.Helper()
	if q := c.pending[id]; len(q) > 0 {
		c.pending[id] = q[1:]
		return q[0]
	}
	for {
		m := c.recv()
		if m.ID == id {
			return m
		}
		c.pending[m.ID] = append(c.pending[m.ID], m)
	}
}

// next returns the data of the next result of operation id, failing the
// test on anything else (errors, complete).
func (c *wsClient) next(id string) json.RawMessage {
	c.t.Helper()
	m := c.expect(id)
	var r result
	if m.Type != "next" || json.Unmarshal(m.Payload, &r) != nil || len(r.Errors) > 0 {
		c.t.Fatalf("operation %s: got %s %s, want a result", id, m.Type, m.Payload)
	}
	return r.Data
}

// nextField returns the value at path in the data of the next result of
// operation id (see at).
func (c *wsClient) nextField(id string, path ...string) string {
	c.t.Helper()
	var data any
	if err := json.Unmarshal(c.next(id), &data); err != nil {
		c.t.Fatal(err)
	}
	return at(data, path...)
}

// refused expects operation id to fail: an error message, or a result
// with errors followed by complete. It returns the first error.
func (c *wsClient) refused(id string) gqltest.Error {
	c.t.Helper()
	m := c.expect(id)
	var errs []gqltest.Error
	switch m.Type {
	case "error":
		_ = json.Unmarshal(m.Payload, &errs)
	case "next":
		var r result
		_ = json.Unmarshal(m.Payload, &r)
		errs = r.Errors
		if end := c.expect(id); end.Type != "complete" {
			c.t.Errorf("operation %s: got %s %s after its errors, want complete", id, end.Type, end.Payload)
		}
	}
	if len(errs) == 0 {
		c.t.Fatalf("operation %s: got %s %s, want errors", id, m.Type, m.Payload)
	}
	return errs[0]
}

// quiet fails the test if any message arrives within the grace period
// (or is still pending).
func (c *wsClient) quiet() {
	c.t.Helper()
	quiet(c)
}

// drain moves the messages received so far to the pending ones.
func (c *wsClient) drain() {
	c.t.Helper()
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				c.t.Fatalf("socket ended: %v", c.err)
			}
			c.pending[m.ID] = append(c.pending[m.ID], m)
		default:
			return
		}
	}
}

// quiet fails the test if any of the clients receives a message within
// one grace period (or has one pending).
func quiet(clients ...*wsClient) {
	time.Sleep(grace)
	for _, c := range clients {
		c.t.Helper()
		c.drain()
		for id, q := range c.pending {
			if len(q) > 0 {
				c.t.Fatalf("unexpected message %s %s for operation %s", q[0].Type, q[0].Payload, id)
			}
		}
	}
}

// expectClose reads until the socket ends and returns the close code and
// reason the server sent; messages before are skipped.
func (c *wsClient) expectClose() (int, string) {
	c.t.Helper()
	for {
		select {
		case _, ok := <-c.in:
			if ok {
				continue
			}
			var ce *websocket.CloseError
			if !errors.As(c.err, &ce) {
				c.t.Fatalf("socket ended with %v, want a close frame", c.err)
			}
			return ce.Code, ce.Text
		case <-time.After(wait):
			c.t.Fatalf("socket still open after %s", wait)
		}
	}
}

// close closes the websocket normally and waits until the server closed
// its end too.
func (c *wsClient) close() {
	c.t.Helper()
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(wait))
	c.expectClose()
	_ = c.ws.Close()
}
