package subscriptiontest

import (
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// newsQuery is a subscription that any caller may run.
const newsQuery = `subscription { newsPublished { id } }`

// TestCloseCodes checks that each protocol error closes the socket with
// its code and reason against the Hub's server.
func TestCloseCodes(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		short := d.serve(t, func(c *server.Config) { c.WebSocket.InitTimeout = 300 * time.Millisecond })
		token := h.user().token
		cases := []struct {
			name      string
			hub       *hub
			protocols []string
			code      int
			reason    string // "" when any reason will do
			steps     func(c *wsClient)
		}{
			{"invalid message", h, nil, wstransport.CloseBadRequest, `Unexpected message of type "subscribe_all" received`,
				func(c *wsClient) { c.init(token); c.sendRaw(`{"type":"subscribe_all"}`) }},
			{"subscribe before connection_ack", h, nil, wstransport.CloseUnauthorized, "Unauthorized",
				func(c *wsClient) { c.subscribe("1", newsQuery, nil) }},
			{"forged token", h, nil, wstransport.CloseForbidden, "",
				func(c *wsClient) { c.send("connection_init", "", initPayload("forged")) }},
			{"no subprotocol", h, []string{"mqtt"}, wstransport.CloseSubprotocolNotAllowed, "Subprotocol not acceptable",
				func(*wsClient) {}},
			{"no connection_init in time", short, nil, wstransport.CloseInitTimeout, "Connection initialisation timeout",
				func(*wsClient) {}},
			{"operation id in use", h, nil, wstransport.CloseSubscriberExists, "Subscriber for dup already exists",
				func(c *wsClient) {
					c.init(token)
					c.subscribe("dup", newsQuery, nil)
					c.subscribe("dup", newsQuery, nil)
				}},
			{"second connection_init", h, nil, wstransport.CloseTooManyInit, "Too many initialisation requests",
				func(c *wsClient) { c.init(token); c.send("connection_init", "", initPayload(token)) }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := dial(t, tc.hub.wsURL(), tc.protocols...)
				tc.steps(c)
				code, reason := c.expectClose()
				t.Logf("closed with %d %q", code, reason)
				if code != tc.code || (tc.reason != "" && reason != tc.reason) {
					t.Errorf("closed with %d %q, want %d %q", code, reason, tc.code, tc.reason)
				}
				if tc.code == wstransport.CloseForbidden && reason == "" {
					t.Error("4403 without a reason")
				}
			})
		}
	})
}
