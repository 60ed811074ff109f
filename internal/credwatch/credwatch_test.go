package credwatch

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/credevents"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// wait bounds every wait here; a hang guard, not a performance assertion.
const wait = 10 * time.Second

// store is a fake Checker: the current state of each credential.
type store struct {
	mu     sync.Mutex
	now    map[auth.Credential]auth.Check
	checks chan []auth.Credential // every Recheck's credentials
}

func newStore() *store {
	return &store{now: map[auth.Credential]auth.Check{}, checks: make(chan []auth.Credential, 100)}
}

func (s *store) Recheck(_ context.Context, creds []auth.Credential) (map[auth.Credential]auth.Check, error) {
	s.mu.Lock()
	out := map[auth.Credential]auth.Check{}
	for _, c := range creds {
		out[c] = s.now[c]
	}
	s.mu.Unlock()
	s.checks <- creds // after reading: the test may change the state once it is told
	return out, nil
}

func (s *store) set(v *viewer.Viewer, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now[auth.CredentialOf(v)] = auth.Check{Viewer: v, Err: err}
}

// conn is a fake connection that records its close.
type conn struct{ closed chan string }

func newConn() *conn { return &conn{closed: make(chan string, 1)} }

func (c *conn) Close(_ int, reason string) {
	select {
	case c.closed <- reason:
	default:
	}
}

func (c *conn) expectClosed(t *testing.T) string {
	t.Helper()
	select {
	case r := <-c.closed:
		return r
	case <-time.After(wait):
		t.Fatal("connection not closed")
		return ""
	}
}

func (c *conn) expectOpen(t *testing.T) {
	t.Helper()
	select {
	case r := <-c.closed:
		t.Fatalf("connection closed: %q", r)
	default:
	}
}

func session(user, id int, expires time.Time) *viewer.Viewer {
	return &viewer.Viewer{UserID: user, SessionID: id, Role: viewer.RoleNone, Scopes: []viewer.Scope{viewer.ScopeRead}, Expires: expires}
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestExpiryRechecksRatherThanCloses checks the expiry timer: a session
// renewed meanwhile (its expiry moved) stays open and is checked again at
// its new expiry; one that expired is closed.
func TestExpiryRechecksRatherThanCloses(t *testing.T) {
	st := newStore()
	w := New(st, discard, time.Hour)
	soon := time.Now().Add(50 * time.Millisecond)
	v := session(1, 10, soon)
	renewed := session(1, 10, soon.Add(100*time.Millisecond))
	st.set(renewed, nil)
	c := newConn()
	w.Watch(c, v, w.Mark())
	<-st.checks // at the first expiry
	c.expectOpen(t)
	st.set(renewed, auth.ErrExpiredToken)
	<-st.checks // at the renewed expiry
	if got := c.expectClosed(t); got != auth.ErrExpiredToken.Error() {
		t.Errorf("closed with %q", got)
	}
}

// TestEventsCheckTheUsersCredentials runs a Watcher on a Broker: an event
// for a user checks that user's credentials only; a changed viewer and an
// ended credential close their connections; an event that came while a
// connection was being authenticated (between Mark and Watch) makes Watch
// check it; Forget drops what no connection uses.
func TestEventsCheckTheUsersCredentials(t *testing.T) {
	st := newStore()
	w := New(st, discard, time.Hour)
	ps := pubsub.NewBroker()
	defer ps.Close()
	alice, bob := session(1, 10, time.Time{}), session(2, 20, time.Time{})
	st.set(alice, nil)
	st.set(bob, nil)
	ca, cb := newConn(), newConn()
	w.Watch(ca, alice, w.Mark())
	w.Watch(cb, bob, w.Mark())
	go w.Run(context.Background(), ps)
	// Once the Watcher listens, an event (nothing changed) checks Alice's
	// session.
	waitUntil(t, func() bool {
		publish(t, ps, 1)
		select {
		case <-st.checks:
			return true
		case <-time.After(10 * time.Millisecond):
			return false
		}
	})
	for len(st.checks) > 0 {
		<-st.checks
	}
	ca.expectOpen(t)

	lowered := *alice
	lowered.Associations = map[int]viewer.MemberRole{3: viewer.MemberMember}
	st.set(&lowered, nil)
	publish(t, ps, 1)
	if got := <-st.checks; len(got) != 1 || got[0] != auth.CredentialOf(alice) {
		t.Fatalf("checked %v, want alice's session only", got)
	}
	if got := ca.expectClosed(t); got != ReasonChanged {
		t.Errorf("closed with %q, want %q", got, ReasonChanged)
	}
	cb.expectOpen(t)

	// Bob is being authenticated when his session ends.
	mark := w.Mark()
	st.set(bob, auth.ErrEnded)
	publish(t, ps, 2)
	<-st.checks // the event finds his first connection
	cb.expectClosed(t)
	late := newConn()
	w.Watch(late, bob, mark)
	<-st.checks
	late.expectClosed(t)

	w.Forget(ca, alice)
	w.Forget(cb, bob)
	w.Forget(late, bob)
	if creds, conns := w.Watched(); creds != 0 || conns != 0 {
		t.Errorf("still watching %d credentials, %d connections", creds, conns)
	}
}

func publish(t *testing.T, ps pubsub.PubSub, user int) {
	t.Helper()
	payload, _ := json.Marshal(credevents.Payload{User: user})
	if err := ps.Publish(context.Background(), pubsub.Event{Topic: credevents.Topic, Payload: payload}); err != nil {
		t.Fatal(err)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(time.Millisecond)
	}
}
