package wstransport_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/bridgesoftrust/hub/internal/wstransport"
)

func dialLegacy(t *testing.T, url string) *client {
	t.Helper()
	c := dial(t, url, wstransport.ProtocolLegacyWS)
	if got := c.ws.Subprotocol(); got != wstransport.ProtocolLegacyWS {
		t.Fatalf("subprotocol %q", got)
	}
	return c
}

func TestLegacyFlow(t *testing.T) {
	ts, url := newTestServer(t, wstransport.Config{})
	c := dialLegacy(t, url)
	c.init(map[string]any{"authToken": "x"})
	c.expect("ka", "")

	c.subscribe("start", "1", "subscription { name }")
	ts.SendNextSubscriptionMessage()
	if m := c.expect("data", "1"); string(m.Payload) != `{"data":{"name":"test"}}` {
		t.Fatalf("payload %s", m.Payload)
	}
	ts.SendCompleteSubscriptionMessage()
	c.expect("complete", "1")

	c.subscribe("start", "2", "query { name }")
	c.expect("data", "2")
	c.expect("complete", "2")

	c.subscribe("start", "3", "subscription { nope }")
	c.expect("error", "3")

	c.send("connection_terminate", "", nil)
	c.expectClose(websocket.CloseNormalClosure, "terminated")
}

func TestLegacyStopStopsSubscription(t *testing.T) {
	h := newHub()
	c := dialLegacy(t, mount(t, h.server(), wstransport.New(wstransport.Config{})))
	c.init(nil)
	c.expect("ka", "")
	c.subscribe("start", "1", "subscription { events }")
	waitFor(t, "subscription", func() bool { return h.count() == 1 })
	h.publish("a")
	c.expect("data", "1")
	c.send("stop", "1", nil)
	waitFor(t, "resolver to stop", func() bool { return h.count() == 0 })
}

func TestLegacyMalformedMessagesAreAnswered(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dialLegacy(t, url)
	c.sendRaw("not json")
	c.expect("connection_error", "")
	c.init(nil)
	c.expect("ka", "")
	c.send("bogus", "7", nil)
	if m := c.expect("error", "7"); !strings.Contains(string(m.Payload), "bogus") {
		t.Fatalf("payload %s", m.Payload)
	}
	c.send("start", "8", map[string]any{"variables": map[string]any{}})
	c.expect("error", "8")
	c.subscribe("start", "9", "{ name }") // the connection still works
	c.expect("data", "9")
}

func TestLegacyInitRefused(t *testing.T) {
	url := mount(t, newHub().server(), wstransport.New(wstransport.Config{InitFunc: bearerInit}))
	c := dialLegacy(t, url)
	c.send("connection_init", "", map[string]any{"Authorization": "Bearer nope"})
	if m := c.expect("connection_error", ""); string(m.Payload) != `{"message":"invalid token"}` {
		t.Fatalf("payload %s", m.Payload)
	}
	c.expectClose(wstransport.CloseForbidden, "invalid token")
}

func TestLegacyStartBeforeInitCloses4401(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dialLegacy(t, url)
	c.subscribe("start", "1", "{ name }")
	c.expectClose(wstransport.CloseUnauthorized, "Unauthorized")
}

func TestLegacyKeepAlive(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{PingInterval: 20 * time.Millisecond})
	c := dialLegacy(t, url)
	c.init(nil)
	for range 3 {
		c.expect("ka", "")
	}
}
