package subscriptiontest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// replacement is the password the password changes set.
const replacement = "a replacement passphrase for the hub"

// subject is the account whose credential a case ends or changes, as the
// watched websockets use it.
type subject struct {
	caller     // signed in: the session
	email      string
	token      string // what the watched websockets send: the session, or an API key
	keyID      string
	keyExpires time.Time
	membership string
	admin      caller // a secretariat account that makes changes
	d          *database
}

// credentialsCase is one way the credential of a websocket ends or
// changes.
type credentialsCase struct {
	name string
	role user.Role // the subject's global role (none if empty)
	// member makes the subject a member of an association.
	member bool
	// key makes the websockets use an API key of the subject instead of
	// its session, expiring after expires if that is set.
	key     bool
	expires time.Duration
	// commandLine: the change comes from another process (the command
	// line), which on SQLite cannot tell the server: the server's
	// periodic re-check finds it (a short interval in this test).
	commandLine bool
	// change makes the change through h.
	change func(t *testing.T, s *subject, h *hub)
}

// credentialsCases are the changes that must end the websockets of a
// credential.
var credentialsCases = []credentialsCase{
	{name: "logout", change: func(t *testing.T, s *subject, h *hub) {
		h.value(s.caller, `mutation { logout }`, nil, "logout")
	}},
	{name: "changePassword from another session", change: func(t *testing.T, s *subject, h *hub) {
		other := h.login(s.email, authtest.Password)
		h.value(other, `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
			vars{"c": authtest.Password, "n": replacement}, "changePassword")
	}},
	{name: "set-password on the command line", commandLine: true, change: func(t *testing.T, s *subject, h *hub) {
		s.d.asCommandLine(t, func(ctx context.Context, svc *auth.Service) error { return svc.SetPassword(ctx, s.email, replacement) })
	}},
	{name: "disable on the command line", commandLine: true, change: func(t *testing.T, s *subject, h *hub) {
		s.d.asCommandLine(t, func(ctx context.Context, svc *auth.Service) error { return svc.Disable(ctx, s.email) })
	}},
	{name: "disabled by the secretariat", change: func(t *testing.T, s *subject, h *hub) {
		h.value(s.admin, `mutation($id: ID!) { updateUser(id: $id, input: {disabled: true}) { id } }`, vars{"id": s.id}, "updateUser", "id")
	}},
	{name: "role lowered", role: user.RoleSECRETARIAT, change: func(t *testing.T, s *subject, h *hub) {
		h.value(s.admin, `mutation($id: ID!) { updateUser(id: $id, input: {role: NONE}) { role } }`, vars{"id": s.id}, "updateUser", "role")
	}},
	{name: "membership removed", member: true, change: func(t *testing.T, s *subject, h *hub) {
		h.value(s.admin, `mutation($id: ID!) { deleteMembership(id: $id) }`, vars{"id": s.membership}, "deleteMembership")
	}},
	{name: "key revoked", key: true, change: func(t *testing.T, s *subject, h *hub) {
		h.value(s.caller, `mutation($id: ID!) { revokeAPIKey(id: $id) { revokedAt } }`, vars{"id": s.keyID}, "revokeAPIKey", "revokedAt")
	}},
	// The key must outlive the case's setup (websockets, subscriptions,
	// a first post), which takes seconds on a loaded machine.
	{name: "key expired", key: true, expires: 10 * time.Second, change: func(t *testing.T, s *subject, h *hub) {
		time.Sleep(time.Until(s.keyExpires)) // the change is the passing of time
	}},
}

// TestWebsocketFollowsCredentials checks on both databases, through the
// server over websocket, that each change in credentialsCases ends the
// websockets of the credential: one subscribed to postAdded of a MEMBERS
// category is closed with 4403 and gets no more posts, and an operation
// sent on another right after the change is refused and writes nothing.
// A subscriber with other credentials keeps receiving.
func TestWebsocketFollowsCredentials(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		// On SQLite the command line cannot reach the server: its
		// periodic re-check of open connections finds the change.
		sweeping := d.serve(t, func(c *server.Config) { c.WebSocket.RecheckInterval = 200 * time.Millisecond })
		for i, tc := range credentialsCases {
			t.Run(tc.name, func(t *testing.T) {
				on := h
				if tc.commandLine && d.dialect == "sqlite" {
					on = sweeping
				}
				checkCredentialsCase(t, d, tc, i, on.in(t), on.in(t))
			})
		}
	})
}

// TestWebsocketFollowsCredentialsAcrossServers is TestWebsocketFollowsCredentials
// with two servers on one PostgreSQL database, each with its own store and
// LISTEN connection: the websockets are held by one, the change is made
// through the other (the command line: a third process).
func TestWebsocketFollowsCredentialsAcrossServers(t *testing.T) {
	d := postgresOnly(t)
	a, b := d.serve(t, nil), d.serveStore(t, d.open(t), nil)
	for i, tc := range credentialsCases {
		t.Run(tc.name, func(t *testing.T) {
			checkCredentialsCase(t, d, tc, i, b.in(t), a.in(t))
		})
	}
}

// checkCredentialsCase runs one case: the websockets are held by watch,
// the change is made through act.
func checkCredentialsCase(t *testing.T, d *database, tc credentialsCase, n int, watch, act *hub) {
	s := newSubject(t, d, act, tc, n)
	topic := act.topic(s.admin, act.category(s.admin, fmt.Sprintf("credentials-%d", n), "MEMBERS"), "Credentials")
	control := act.user()
	watched, ops, others := watch.connect(caller{token: s.token}), watch.connect(caller{token: s.token}), watch.connect(control)
	for _, c := range []*wsClient{watched, others} {
		c.subscribe("p", postAdded, vars{"t": topic})
	}
	watch.events.waitFor(t, live.TopicPosts(topicOf(t, topic)), 2)
	before := act.post(s.admin, topic, "before the change")
	for _, c := range []*wsClient{watched, others} {
		if got := c.nextField("p", "postAdded", "id"); got != before {
			t.Fatalf("received post %s, want %s", got, before)
		}
	}

	tc.change(t, s, act)
	changed := time.Now()
	refusedOrClosed(t, ops, "m", `mutation($t: ID!) { createPost(input: {topicId: $t, body: "after the change"}) { id } }`, vars{"t": topic})
	code, reason := watched.expectClose()
	t.Logf("closed with %d %q, %s after the change", code, reason, time.Since(changed).Round(time.Millisecond))
	if code != wstransport.CloseForbidden {
		t.Errorf("the subscribed websocket closed with %d %q, want 4403", code, reason)
	}
	if act.postExists(s.admin, "after the change") {
		t.Error("an operation sent after the change wrote a post")
	}
	after := act.post(s.admin, topic, "after the close")
	if got := others.nextField("p", "postAdded", "id"); got != after {
		t.Errorf("the other subscriber received post %s, want %s", got, after)
	}
	others.quiet()
}

// newSubject creates the account of a case through h and the credential
// its websockets use.
func newSubject(t *testing.T, d *database, h *hub, tc credentialsCase, n int) *subject {
	t.Helper()
	role := tc.role
	if role == "" {
		role = user.RoleNONE
	}
	s := &subject{caller: h.account(role), admin: h.secretariat(), d: d}
	s.email = h.value(s.caller, `{ me { email } }`, nil, "me", "email")
	s.token = s.caller.token
	if tc.member {
		assoc := h.value(s.admin, `mutation($n: String!) { createAssociation(input: {name: $n, acronym: $n}) { id } }`,
			vars{"n": fmt.Sprintf("CRED%d", n)}, "createAssociation", "id")
		s.membership = h.value(s.admin, `mutation($u: ID!, $a: ID!) { createMembership(input: {userID: $u, associationID: $a}) { id } }`,
			vars{"u": s.id, "a": assoc}, "createMembership", "id")
	}
	if tc.key {
		in := vars{"name": "websocket", "scopes": []string{"read", "write"}}
		if tc.expires > 0 {
			s.keyExpires = time.Now().Add(tc.expires)
			in["expiresAt"] = s.keyExpires.Format(time.RFC3339Nano)
		}
		s.token = h.value(s.caller, `mutation($in: CreateAPIKeyInput!) { createAPIKey(input: $in) { secret } }`,
			vars{"in": in}, "createAPIKey", "secret")
		s.keyID = h.value(s.caller, `{ me { apiKeys { id } } }`, nil, "me", "apiKeys", "0", "id")
	}
	return s
}

// refusedOrClosed sends operation id on c, right after a change that ends
// its credential: the operation must not run. Either it is refused
// (UNAUTHENTICATED) and the socket closes with 4403, or the socket was
// closed already (with 4403) by the time it arrived.
func refusedOrClosed(t *testing.T, c *wsClient, id, query string, v vars) {
	t.Helper()
	b, _ := json.Marshal(message{Type: "subscribe", ID: id, Payload: mustMarshal(map[string]any{"query": query, "variables": v})})
	_ = c.ws.WriteMessage(websocket.TextMessage, b) // fails if the server closed the socket already
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				var ce *websocket.CloseError
				if !errors.As(c.err, &ce) || ce.Code != wstransport.CloseForbidden {
					t.Fatalf("the operation's websocket ended with %v, want 4403", c.err)
				}
				return
			}
			var errs []struct {
				Extensions struct{ Code string } `json:"extensions"`
			}
			if m.ID != id || m.Type != "error" || json.Unmarshal(m.Payload, &errs) != nil || len(errs) == 0 || errs[0].Extensions.Code != "UNAUTHENTICATED" {
				t.Fatalf("after the change: got %s %s for operation %q, want it refused (UNAUTHENTICATED)", m.Type, m.Payload, m.ID)
			}
		case <-time.After(wait):
			t.Fatalf("operation %s neither refused nor its socket closed within %s", id, wait)
		}
	}
}

// TestChangePasswordKeepsTheCallersWebsocket checks the other side of
// changePassword: the session that changed the password stays signed in
// (as over HTTP), and so do its websockets; the other sessions' close.
func TestChangePasswordKeepsTheCallersWebsocket(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice := h.secretariat(), h.user()
		email := h.value(alice, `{ me { email } }`, nil, "me", "email")
		second := h.login(email, authtest.Password)
		topic := h.topic(admin, h.category(admin, "passwords", "MEMBERS"), "Passwords")
		own, other := h.connect(alice), h.connect(second)
		for _, c := range []*wsClient{own, other} {
			c.subscribe("p", postAdded, vars{"t": topic})
		}
		h.events.waitFor(t, live.TopicPosts(topicOf(t, topic)), 2)
		h.value(alice, `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
			vars{"c": authtest.Password, "n": replacement}, "changePassword")
		if code, reason := other.expectClose(); code != wstransport.CloseForbidden {
			t.Errorf("the other session's websocket closed with %d %q, want 4403", code, reason)
		}
		id := h.post(admin, topic, "after the change")
		if got := own.nextField("p", "postAdded", "id"); got != id {
			t.Errorf("the caller's websocket received %s, want %s", got, id)
		}
		own.subscribe("me", `{ me { id } }`, nil)
		if got := own.nextField("me", "me", "id"); got != alice.id {
			t.Errorf("me on the caller's websocket: %s, want %s", got, alice.id)
		}
	})
}

// TestWebsocketClosedWhenAccessGrows checks that a viewer whose access
// grows (a membership added) is closed too, to connect again as who it now
// is, and that connecting again with the same token works.
func TestWebsocketClosedWhenAccessGrows(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice := h.secretariat(), h.user()
		c := h.connect(alice)
		c.subscribe("me", `{ me { id } }`, nil)
		c.next("me")
		assoc := h.value(admin, `mutation { createAssociation(input: {name: "Growing", acronym: "GROW"}) { id } }`, nil, "createAssociation", "id")
		h.value(admin, `mutation($u: ID!, $a: ID!) { createMembership(input: {userID: $u, associationID: $a, role: EDITOR}) { id } }`,
			vars{"u": alice.id, "a": assoc}, "createMembership", "id")
		if code, reason := c.expectClose(); code != wstransport.CloseForbidden || reason != "credentials changed; connect again" {
			t.Errorf("closed with %d %q, want 4403 \"credentials changed; connect again\"", code, reason)
		}
		again := h.connect(alice)
		again.subscribe("me", `{ me { memberships { totalCount } } }`, nil)
		if got := again.nextField("me", "me", "memberships", "totalCount"); got != "1" {
			t.Errorf("memberships after connecting again: %s, want 1", got)
		}
	})
}

// in returns h for the test t (its failures reported there).
func (h *hub) in(t testing.TB) *hub {
	c := *h
	c.t = t
	return &c
}

// login signs in over HTTP and returns the new session.
func (h *hub) login(email, password string) caller {
	h.t.Helper()
	token := h.value(anonymous, `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		vars{"e": email, "p": password}, "login", "token")
	c := caller{token: token}
	c.id = h.value(c, `{ me { id } }`, nil, "me", "id")
	return c
}

// asCommandLine runs fn as `hub user ...` does, from another process: its
// own store and the PubSub it opens (NOTIFY on PostgreSQL; on SQLite an
// in-process one that no server hears).
func (d *database) asCommandLine(t *testing.T, fn func(context.Context, *auth.Service) error) {
	t.Helper()
	store := d.open(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := authz.SystemContext(context.Background())
	events, err := pubsub.Open(ctx, store.Dialect, d.url, store.DB, pubsub.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()
	if err := fn(live.WithPubSub(ctx, events), auth.New(store.Client, auth.DefaultConfig(), logger)); err != nil {
		t.Fatal(err)
	}
}
