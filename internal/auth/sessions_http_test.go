package auth_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/session"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestLogoutEndsTheSession signs in twice, logs one session out: its token
// is refused from the next request on, the other session goes on.
func TestLogoutEndsTheSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		h.user(t, "ada", user.RoleNONE)
		first, second := h.session(t, "ada"), h.session(t, "ada")
		resp := h.post(t, `mutation { logout }`, nil, first)
		resp.NoErrors(t)
		if string(resp.Data) != `{"logout":true}` {
			t.Errorf("logout = %s", resp.Data)
		}
		resp = h.post(t, `{ me { id } }`, nil, first)
		wantCode(t, "the logged-out token", resp, "UNAUTHENTICATED")
		if resp.Status != http.StatusUnauthorized {
			t.Errorf("the logged-out token: status %d, want 401", resp.Status)
		}
		h.post(t, `{ me { id } }`, nil, second).NoErrors(t)
		wantCode(t, "logout without a session", h.post(t, `mutation { logout }`, nil, nil), "UNAUTHENTICATED")
	})
}

// TestSessionsSlide checks the sliding expiry: a session used while more
// than half its lifetime is left keeps its expiry; used later, it is
// renewed for a whole lifetime. Time passing is simulated by moving the
// stored expiry closer.
func TestSessionsSlide(t *testing.T) {
	const ttl = time.Hour
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		cfg := testConfig()
		cfg.Auth.SessionTTL = ttl
		h := serve(t, store, cfg)
		h.user(t, "ada", user.RoleNONE)
		opened := time.Now()
		login := h.signIn(t, "ada")
		if login.ExpiresAt.Before(opened.Add(ttl-time.Second)) || login.ExpiresAt.After(time.Now().Add(ttl)) {
			t.Errorf("login expiresAt %s, want a session TTL (%s) after the login", login.ExpiresAt, ttl)
		}
		sess := h.store.Client.Session.Query().OnlyX(sys())
		h.post(t, `{ me { id } }`, nil, bearer(login.Token)).NoErrors(t)
		if got := reload(h, sess).ExpiresAt; !got.Equal(sess.ExpiresAt) {
			t.Errorf("a session used early was renewed: %s -> %s", sess.ExpiresAt, got)
		}

		// 40 minutes later, 20 are left: less than half of the TTL.
		late := time.Now().Add(ttl / 3)
		h.store.Client.Session.UpdateOne(sess).SetExpiresAt(late).ExecX(sys())
		used := time.Now()
		h.post(t, `{ me { id } }`, nil, bearer(login.Token)).NoErrors(t)
		if got := reload(h, sess).ExpiresAt; got.Before(used.Add(ttl - time.Second)) {
			t.Errorf("a session used after half its TTL expires at %s, want it renewed to a TTL after its use (%s)", got, used.Add(ttl))
		}
	})
}

// reload reads a session again from the store.
func reload(h *hub, sess *ent.Session) *ent.Session {
	return h.store.Client.Session.Query().Where(session.ID(sess.ID)).OnlyX(sys())
}
