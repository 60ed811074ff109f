package wstransport_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/wstransport"
)

func TestSubscribeNextComplete(t *testing.T) {
	ts, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url)
	if got := c.ws.Subprotocol(); got != wstransport.ProtocolTransportWS {
		t.Fatalf("subprotocol %q", got)
	}
	c.init(nil)
	c.subscribe("subscribe", "s1", "subscription { name }")
	for range 2 {
		ts.SendNextSubscriptionMessage()
		m := c.expect("next", "s1")
		if string(m.Payload) != `{"data":{"name":"test"}}` {
			t.Fatalf("payload %s", m.Payload)
		}
	}
	ts.SendCompleteSubscriptionMessage()
	c.expect("complete", "s1")
}

func TestQueryOverWebsocket(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url)
	c.init(map[string]any{})
	c.subscribe("subscribe", "q1", "query { name }")
	m := c.expect("next", "q1")
	if string(m.Payload) != `{"data":{"name":"test"}}` {
		t.Fatalf("payload %s", m.Payload)
	}
	c.expect("complete", "q1")
	// The id is free again once the query completed.
	c.subscribe("subscribe", "q1", "query { name }")
	c.expect("next", "q1")
	c.expect("complete", "q1")
}

func TestValidationErrorIsErrorMessage(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url)
	c.init(nil)
	c.subscribe("subscribe", "v1", "subscription { nope }")
	m := c.expect("error", "v1")
	var errs []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
	if err := json.Unmarshal(m.Payload, &errs); err != nil || len(errs) == 0 {
		t.Fatalf("error payload %s: %v", m.Payload, err)
	}
	if errs[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("errors %+v", errs)
	}
	// No complete follows an error: the next message answers the ping.
	c.send("ping", "", nil)
	c.expect("pong", "")
}

func TestPingPong(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url)
	c.send("ping", "", nil) // allowed before connection_init
	if m := c.expect("pong", ""); m.Payload != nil {
		t.Fatalf("pong payload %s", m.Payload)
	}
	c.init(nil)
	c.send("ping", "", map[string]any{"t": 1})
	if m := c.expect("pong", ""); string(m.Payload) != `{"t":1}` {
		t.Fatalf("pong payload %s", m.Payload)
	}
	c.send("pong", "", nil) // unsolicited pongs are fine
	c.send("ping", "", nil)
	c.expect("pong", "")
}

func TestServerPingMessages(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{PingInterval: 20 * time.Millisecond, ProtocolPing: true})
	c := dial(t, url)
	c.init(nil)
	c.expect("ping", "")
	c.send("pong", "", nil)
	c.expect("ping", "")
}

func TestClientCompleteStopsSubscription(t *testing.T) {
	h := newHub()
	c := dial(t, mount(t, h.server(), wstransport.New(wstransport.Config{})))
	c.init(nil)
	c.subscribe("subscribe", "1", "subscription { events }")
	waitFor(t, "subscription", func() bool { return h.count() == 1 })
	h.publish("a")
	c.expect("next", "1")
	c.send("complete", "1", nil)
	waitFor(t, "resolver to stop", func() bool { return h.count() == 0 })
	c.send("complete", "1", nil) // completing an unknown id does nothing
	// The id is free again, and no complete was sent for the stopped one.
	c.subscribe("subscribe", "1", "subscription { events }")
	waitFor(t, "second subscription", func() bool { return h.count() == 1 })
	h.publish("b")
	if m := c.expect("next", "1"); !strings.Contains(string(m.Payload), `"b"`) {
		t.Fatalf("payload %s", m.Payload)
	}
}

func TestBearerInitFunc(t *testing.T) {
	h := newHub()
	url := mount(t, h.server(), wstransport.New(wstransport.Config{InitFunc: bearerInit}))
	for _, tc := range []struct {
		payload map[string]any
		want    string
	}{
		{map[string]any{"Authorization": "Bearer good-alice"}, "alice"},
		{map[string]any{"authorization": "bearer good-bob"}, "bob"},
		{map[string]any{"AUTHORIZATION": "Bearer good-carol"}, "carol"},
		{nil, "anonymous"},
	} {
		c := dial(t, url)
		c.init(tc.payload)
		c.subscribe("subscribe", "q", "{ viewer }")
		m := c.expect("next", "q")
		if want := `{"data":{"viewer":"` + tc.want + `"}}`; string(m.Payload) != want {
			t.Fatalf("payload %s, want %s", m.Payload, want)
		}
	}
}

func TestMaxOperations(t *testing.T) {
	h := newHub()
	c := dial(t, mount(t, h.server(), wstransport.New(wstransport.Config{MaxOperations: 2})))
	c.init(nil)
	c.subscribe("subscribe", "1", "subscription { events }")
	c.subscribe("subscribe", "2", "subscription { events }")
	c.subscribe("subscribe", "3", "subscription { events }")
	m := c.expect("error", "3")
	if !strings.Contains(string(m.Payload), "TOO_MANY_OPERATIONS") {
		t.Fatalf("payload %s", m.Payload)
	}
	c.send("complete", "1", nil)
	waitFor(t, "one subscription", func() bool { return h.count() == 1 })
	c.subscribe("subscribe", "3", "subscription { events }")
	waitFor(t, "two subscriptions", func() bool { return h.count() == 2 })
}

func TestResolverPanicIsErrorMessage(t *testing.T) {
	h := newHub()
	srv := h.server()
	srv.SetRecoverFunc(func(context.Context, any) error { return errors.New("internal system error") })
	c := dial(t, mount(t, srv, wstransport.New(wstransport.Config{})))
	c.init(nil)
	c.subscribe("subscribe", "p", "{ boom }")
	if m := c.expect("error", "p"); string(m.Payload) != `[{"message":"internal system error"}]` {
		t.Fatalf("payload %s", m.Payload)
	}
	c.send("ping", "", nil) // no complete after an error, and the connection lives on
	c.expect("pong", "")
}

func TestInitPayloadReachesResolvers(t *testing.T) {
	c := dial(t, mount(t, newHub().server(), wstransport.New(wstransport.Config{})))
	c.init(map[string]any{"client": "portal/1.2"})
	c.subscribe("subscribe", "q", "{ client }")
	if m := c.expect("next", "q"); string(m.Payload) != `{"data":{"client":"portal/1.2"}}` {
		t.Fatalf("payload %s", m.Payload)
	}
}

func TestAckPayloadAndInitPanic(t *testing.T) {
	url := mount(t, newHub().server(), wstransport.New(wstransport.Config{
		InitFunc: func(ctx context.Context, p wstransport.InitPayload) (context.Context, *wstransport.InitPayload, error) {
			if p.GetString("panic") != "" {
				panic("init")
			}
			return ctx, &wstransport.InitPayload{"server": "hub"}, nil
		},
	}))
	c := dial(t, url)
	if m := c.init(nil); string(m.Payload) != `{"server":"hub"}` {
		t.Fatalf("ack payload %s", m.Payload)
	}
	c = dial(t, url)
	c.send("connection_init", "", map[string]any{"panic": "yes"})
	c.expectClose(wstransport.CloseInternalError, "Internal server error")
}

// TestOperationsSeeRequestHeaders checks that operations see the upgrade
// request's headers, except those of the websocket handshake.
func TestOperationsSeeRequestHeaders(t *testing.T) {
	url := mount(t, newHub().server(), wstransport.New(wstransport.Config{}))
	c := dialWith(t, url, http.Header{"X-Client": {"portal"}})
	c.init(nil)
	c.subscribe("subscribe", "h1", "query { headers }")
	if m := c.expect("next", "h1"); string(m.Payload) != `{"data":{"headers":"portal||"}}` {
		t.Fatalf("payload %s, want the X-Client header only", m.Payload)
	}
}
