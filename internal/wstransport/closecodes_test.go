package wstransport_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/bridgesoftrust/hub/internal/wstransport"
)

func TestInvalidMessagesClose4400(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	for name, raw := range map[string]string{
		"not JSON":             `hello`,
		"truncated JSON":       `{"type":"connection_init"`,
		"array":                `[]`,
		"no type":              `{}`,
		"type not a string":    `{"type":1}`,
		"unknown type":         `{"type":"subscribe_all"}`,
		"server message type":  `{"type":"next","id":"1","payload":{}}`,
		"init payload array":   `{"type":"connection_init","payload":[1]}`,
		"ping payload string":  `{"type":"ping","payload":"x"}`,
		"subscribe without id": `{"type":"subscribe","payload":{"query":"{ name }"}}`,
		"subscribe numeric id": `{"type":"subscribe","id":1,"payload":{"query":"{ name }"}}`,
		"subscribe no payload": `{"type":"subscribe","id":"1"}`,
		"query not a string":   `{"type":"subscribe","id":"1","payload":{"query":5}}`,
		"variables array":      `{"type":"subscribe","id":"1","payload":{"query":"{ name }","variables":[]}}`,
		"complete without id":  `{"type":"complete"}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := dial(t, url)
			c.init(nil)
			c.sendRaw(raw)
			c.expectClose(wstransport.CloseBadRequest, "*")
		})
	}
}

func TestSubscribeBeforeAckCloses4401(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url)
	c.subscribe("subscribe", "1", "subscription { name }")
	c.expectClose(wstransport.CloseUnauthorized, "Unauthorized")
}

func TestInitRefusedCloses4403(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes: the reason must be cut to 123
	url := mount(t, newHub().server(), wstransport.New(wstransport.Config{
		InitFunc: func(ctx context.Context, p wstransport.InitPayload) (context.Context, *wstransport.InitPayload, error) {
			if p.GetString("long") != "" {
				return ctx, nil, errors.New(long)
			}
			return bearerInit(ctx, p)
		},
	}))
	c := dial(t, url)
	c.send("connection_init", "", map[string]any{"authorization": "Bearer forged"})
	c.expectClose(wstransport.CloseForbidden, "invalid token")

	c = dial(t, url)
	c.send("connection_init", "", map[string]any{"authorization": "Basic dXNlcg=="})
	c.expectClose(wstransport.CloseForbidden, wstransport.ErrAuthScheme.Error())

	c = dial(t, url)
	c.send("connection_init", "", map[string]any{"long": "1"})
	c.expectClose(wstransport.CloseForbidden, strings.Repeat("é", 61))
}

func TestInitTimeoutCloses4408(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{InitTimeout: 50 * time.Millisecond})
	c := dial(t, url)
	c.send("ping", "", nil) // a ping is no initialisation
	c.expect("pong", "")
	c.expectClose(wstransport.CloseInitTimeout, "Connection initialisation timeout")
}

func TestDuplicateIDCloses4409(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url)
	c.init(nil)
	c.subscribe("subscribe", "dup", "subscription { name }")
	c.subscribe("subscribe", "dup", "subscription { name }")
	c.expectClose(wstransport.CloseSubscriberExists, "Subscriber for dup already exists")
}

func TestSecondInitCloses4429(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url)
	c.init(nil)
	c.send("connection_init", "", nil)
	c.expectClose(wstransport.CloseTooManyInit, "Too many initialisation requests")
}

func TestNoSubprotocolCloses4406(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{})
	c := dial(t, url, "mqtt")
	c.expectClose(wstransport.CloseSubprotocolNotAllowed, "Subprotocol not acceptable")
}

func TestOversizedMessageCloses1009(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{MaxMessageSize: 1024})
	c := dial(t, url)
	c.init(nil)
	c.subscribe("subscribe", "big", "{ name } #"+strings.Repeat("x", 2048))
	c.expectClose(websocket.CloseMessageTooBig, "*")
}

func TestOrigins(t *testing.T) {
	_, url := newTestServer(t, wstransport.Config{AllowedOrigins: []string{"https://portal.example.org"}})
	proto := wstransport.ProtocolTransportWS
	for origin, want := range map[string]int{
		"":                           http.StatusSwitchingProtocols, // non-browser client
		"https://portal.example.org": http.StatusSwitchingProtocols,
		"HTTPS://PORTAL.EXAMPLE.ORG": http.StatusSwitchingProtocols,
		"http://" + strings.TrimPrefix(url, "ws://"): http.StatusSwitchingProtocols, // same origin
		"https://evil.example":                       http.StatusForbidden,
		"https://portal.example.org.evil":            http.StatusForbidden,
	} {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		if got := httpStatus(t, url, h, proto); got != want {
			t.Errorf("origin %q: status %d, want %d", origin, got, want)
		}
	}
}
