package auth_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

const changePassword = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`

// TestChangePassword changes a password: a wrong current password changes
// nothing; then the old one stops working, the new one works, the other
// sessions end and the user's API keys are revoked (as with `hub user
// set-password`), while the current session goes on.
func TestChangePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		h.user(t, "bo", user.RoleNONE)
		current, other := h.session(t, "bo"), h.session(t, "bo")
		key := bearer(h.newKey(t, current, "read").Secret)
		const next = "bo chose a brand new passphrase"
		wantCode(t, "a wrong current password", h.post(t, changePassword, map[string]any{"c": "not the password", "n": next}, current), "BAD_USER_INPUT")
		h.post(t, `{ me { id } }`, nil, key).NoErrors(t)
		h.post(t, `{ me { id } }`, nil, other).NoErrors(t)

		h.post(t, changePassword, map[string]any{"c": password, "n": next}, current).NoErrors(t)
		wantCode(t, "the other session", h.post(t, `{ me { id } }`, nil, other), "UNAUTHENTICATED")
		wantCode(t, "the API key", h.post(t, `{ me { id } }`, nil, key), "UNAUTHENTICATED")
		resp := h.post(t, `{ me { apiKeys { revokedAt } } }`, nil, current)
		resp.NoErrors(t)
		if !strings.Contains(string(resp.Data), `"revokedAt":"`) {
			t.Errorf("the key after the change: %s, want it revoked", resp.Data)
		}
		wantCode(t, "login with the old password", h.login(t, "bo", password), "UNAUTHENTICATED")
		h.login(t, "bo", next).NoErrors(t)
	})
}

// TestPasswordMutationsStandAlone mixes login or changePassword with
// another field in one mutation: refused with BAD_USER_INPUT (they run
// outside the transaction the others need), and nothing runs.
func TestPasswordMutationsStandAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		h.user(t, "di", user.RoleNONE)
		header := h.session(t, "di")
		mixed := map[string]string{
			"login and logout": `mutation { login(input: {email: "di@example.org", password: "` + password + `"}) { token } logout }`,
			"changePassword through a fragment, and logout": `mutation { ...change logout }
fragment change on Mutation { changePassword(currentPassword: "` + password + `", newPassword: "another fine passphrase") }`,
		}
		for what, query := range mixed {
			wantCode(t, what, h.post(t, query, nil, header), "BAD_USER_INPUT")
		}
		h.post(t, `{ me { id } }`, nil, header).NoErrors(t)
		if n := store.Client.Session.Query().CountX(sys()); n != 1 {
			t.Errorf("%d sessions, want the one signed in before", n)
		}
		resp := h.post(t, `mutation { a: login(input: {email: "di@example.org", password: "`+password+`"}) { token } __typename }`, nil, nil)
		resp.NoErrors(t)
	})
}

// TestChangePasswordIsThrottled guesses the current password with a
// session: after ten wrong guesses the right one is refused too, like a
// sign-in, and the password stays as it was.
func TestChangePasswordIsThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		u := h.user(t, "cy", user.RoleNONE)
		stolen := h.session(t, "cy")
		const next = "the thief's own passphrase"
		for i := range 10 {
			resp := h.post(t, changePassword, map[string]any{"c": fmt.Sprintf("guess number %d", i), "n": next}, stolen)
			wantCode(t, fmt.Sprintf("wrong guess %d", i+1), resp, "BAD_USER_INPUT")
			if len(resp.Errors) > 0 && resp.Errors[0].Field() != "currentPassword" {
				t.Errorf("wrong guess %d: field %q, want currentPassword", i+1, resp.Errors[0].Field())
			}
		}
		resp := h.post(t, changePassword, map[string]any{"c": password, "n": next}, stolen)
		checkTooMany(t, "the right password at the 11th attempt", resp)
		if !auth.VerifyPassword(password, store.Client.User.GetX(sys(), u.ID).PasswordHash) {
			t.Error("the password changed")
		}
		checkTooMany(t, "a sign-in after the guesses", h.login(t, "cy", password))
	})
}

const createUser = `mutation($e: String!, $p: String!) { createUser(input: {email: $e, displayName: "New", password: $p}) { id email } }`

// TestCreateUserAuthorizesFirst creates accounts over GraphQL: callers who
// may not are refused before the password is looked at (a weak password
// gets them UNAUTHENTICATED or FORBIDDEN, not a hint about the rules);
// the secretariat gets the password rules and the account.
func TestCreateUserAuthorizesFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		h.user(t, "plain", user.RoleNONE)
		h.user(t, "boss", user.RoleSECRETARIAT)
		weak := map[string]any{"e": "new@example.org", "p": "short"}
		wantCode(t, "anonymous createUser", h.post(t, createUser, weak, nil), "UNAUTHENTICATED")
		wantCode(t, "createUser by a user without a global role", h.post(t, createUser, weak, h.session(t, "plain")), "FORBIDDEN")
		boss := h.session(t, "boss")
		resp := h.post(t, createUser, weak, boss)
		wantCode(t, "a weak password from the secretariat", resp, "BAD_USER_INPUT")
		if len(resp.Errors) > 0 && resp.Errors[0].Field() != "password" {
			t.Errorf("field %q, want password", resp.Errors[0].Field())
		}
		const fine = "a perfectly fine passphrase"
		h.post(t, createUser, map[string]any{"e": "New@Example.org", "p": fine}, boss).NoErrors(t)
		h.login(t, "new", fine).NoErrors(t)
		if n := store.Client.User.Query().CountX(sys()); n != 3 {
			t.Errorf("%d users, want 3", n)
		}
	})
}
