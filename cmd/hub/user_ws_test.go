package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// TestUserCommandsCloseWebsockets checks that `hub user set-password` and
// `hub user disable` end the websockets of the sessions they end, on a
// server that runs beside them: at once through NOTIFY on PostgreSQL, at
// the server's next re-check of open connections on SQLite (where the
// command line cannot reach the server; a short interval here).
func TestUserCommandsCloseWebsockets(t *testing.T) {
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dbURL := dbtest.URL(t, dialect)
			store := testStore(t, dbURL)
			if err := runHub(t, dbURL, adminPassword+"\n", "user", "create", "--email", "admin@example.org",
				"--name", "Admin", "--role", "secretariat", "--password-stdin"); err != nil {
				t.Fatalf("hub user create: %v", err)
			}
			events, err := pubsub.Open(context.Background(), store.Dialect, dbURL, store.DB, pubsub.WithLogger(discard))
			if err != nil {
				t.Fatal(err)
			}
			defer events.Close()
			cfg := server.DefaultConfig()
			if dialect == "sqlite" {
				cfg.WebSocket.RecheckInterval = 200 * time.Millisecond
			}
			srv := httptest.NewServer(server.New(cfg, store, discard, server.WithPubSub(events)).Handler())
			defer srv.Close()
			url := srv.URL + "/graphql"

			ws := subscribedSocket(t, url, token(t, url, "admin@example.org", adminPassword).Get("Authorization"))
			if err := runHub(t, dbURL, newPassword+"\n", "user", "set-password", "--email", "admin@example.org", "--password-stdin"); err != nil {
				t.Fatalf("hub user set-password: %v", err)
			}
			expectForbidden(t, ws, "set-password")

			ws = subscribedSocket(t, url, token(t, url, "admin@example.org", newPassword).Get("Authorization"))
			if err := runHub(t, dbURL, "", "user", "disable", "--email", "admin@example.org"); err != nil {
				t.Fatalf("hub user disable: %v", err)
			}
			expectForbidden(t, ws, "disable")
		})
	}
}

// subscribedSocket opens a websocket to the server at url with the
// authorization, and subscribes to news.
func subscribedSocket(t *testing.T, url, authorization string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{wstransport.ProtocolTransportWS}}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(url, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	send := func(v map[string]any) {
		if err := ws.WriteJSON(v); err != nil {
			t.Fatal(err)
		}
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": authorization}})
	var ack struct{ Type string }
	_ = ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, data, err := ws.ReadMessage(); err != nil || json.Unmarshal(data, &ack) != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_init: %s %v", data, err)
	}
	send(map[string]any{"type": "subscribe", "id": "n", "payload": map[string]any{"query": "subscription { newsPublished { id } }"}})
	return ws
}

// expectForbidden reads ws until it closes, which must be with 4403.
func expectForbidden(t *testing.T, ws *websocket.Conn, after string) {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(20 * time.Second)) // a hang guard
	for {
		_, data, err := ws.ReadMessage()
		if err == nil {
			t.Logf("before the close: %s", data)
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != wstransport.CloseForbidden {
			t.Fatalf("after %s the websocket ended with %v, want 4403", after, err)
		}
		t.Logf("after %s: closed with %d %q", after, ce.Code, ce.Text)
		return
	}
}
