package auth_test

import (
	"fmt"
	"testing"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

const changePassword = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`

// TestChangePassword changes a password: the old one stops working, the
// new one works, the other sessions end and the current one goes on.
func TestChangePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		h.user(t, "bo", user.RoleNONE)
		current, other := h.session(t, "bo"), h.session(t, "bo")
		const next = "bo chose a brand new passphrase"
		h.post(t, changePassword, map[string]any{"c": password, "n": next}, current).NoErrors(t)
		wantCode(t, "the other session", h.post(t, `{ me { id } }`, nil, other), "UNAUTHENTICATED")
		h.post(t, `{ me { id } }`, nil, current).NoErrors(t)
		wantCode(t, "login with the old password", h.login(t, "bo", password), "UNAUTHENTICATED")
		h.login(t, "bo", next).NoErrors(t)
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
