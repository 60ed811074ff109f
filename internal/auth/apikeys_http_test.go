package auth_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/apikey"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

const createKeyMutation = `mutation($name: String!, $scopes: [APIKeyScope!]!, $expires: Time) {
  createAPIKey(input: {name: $name, scopes: $scopes, expiresAt: $expires}) { secret key { id name prefix scopes expiresAt revokedAt } } }`

// createdKey is what createAPIKey returns.
type createdKey struct {
	Secret string
	Key    struct {
		ID, Name, Prefix string
		Scopes           []string
	}
}

// createKey asks for an API key with scopes (and an expiry, if not zero).
func (h *hub) createKey(t *testing.T, header http.Header, scopes []string, expires time.Time) *gqltest.Response {
	t.Helper()
	vars := map[string]any{"name": "script", "scopes": scopes}
	if !expires.IsZero() {
		vars["expires"] = expires.Format(time.RFC3339)
	}
	return h.post(t, createKeyMutation, vars, header)
}

// newKey creates an API key with scopes and returns it with its secret.
func (h *hub) newKey(t *testing.T, header http.Header, scopes ...string) createdKey {
	t.Helper()
	resp := h.createKey(t, header, scopes, time.Time{})
	resp.NoErrors(t)
	var data struct{ CreateAPIKey createdKey }
	resp.Decode(t, &data)
	return data.CreateAPIKey
}

// keyCount returns how many API keys the store holds.
func (h *hub) keyCount(t *testing.T) int {
	t.Helper()
	return h.store.Client.APIKey.Query().CountX(sys())
}

func TestAPIKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		for name, role := range map[string]user.Role{"owner": user.RoleNONE, "other": user.RoleNONE,
			"analyst": user.RoleANALYST, "secretariat": user.RoleSECRETARIAT} {
			h.user(t, name, role)
		}
		owner := h.session(t, "owner")
		t.Run("the secret is shown once", func(t *testing.T) { checkSecretShownOnce(t, h, owner) })
		t.Run("a read key cannot mutate", func(t *testing.T) { checkReadOnlyKey(t, h, owner) })
		t.Run("expiry", func(t *testing.T) { checkKeyExpiry(t, h, owner) })
		t.Run("revoking", func(t *testing.T) { checkRevoke(t, h, owner, h.session(t, "other")) })
		t.Run("bulk scope", func(t *testing.T) { checkBulkScope(t, h, owner) })
	})
}

// checkSecretShownOnce creates a key: its secret is returned once, works
// as a bearer token, and is neither listed nor stored.
func checkSecretShownOnce(t *testing.T, h *hub, owner http.Header) {
	k := h.newKey(t, owner, "read")
	if !strings.HasPrefix(k.Secret, "btk_") || !strings.HasPrefix(k.Secret, k.Key.Prefix) || len(k.Key.Prefix) >= len(k.Secret)/2 {
		t.Errorf("secret %q with prefix %q", k.Secret, k.Key.Prefix)
	}
	resp := h.post(t, `{ me { apiKeys { id name prefix scopes } } }`, nil, owner)
	resp.NoErrors(t)
	if !strings.Contains(string(resp.Data), `"id":"`+k.Key.ID+`"`) || strings.Contains(string(resp.Body), k.Secret[len(k.Key.Prefix):]) {
		t.Errorf("me { apiKeys } = %s: want the key listed, without its secret", resp.Data)
	}
	stored := h.store.Client.APIKey.Query().Where(apikey.Prefix(k.Key.Prefix)).OnlyX(sys())
	if len(stored.SecretHash) != 32 || bytes.Contains([]byte(k.Secret), stored.SecretHash) {
		t.Errorf("stored secret hash %x: want the 32-byte SHA-256 only", stored.SecretHash)
	}
	resp = h.post(t, `{ me { displayName } }`, nil, bearer(k.Secret))
	resp.NoErrors(t)
	if !strings.Contains(string(resp.Data), `"owner"`) {
		t.Errorf("me with the key = %s, want the owner", resp.Data)
	}
}

// checkReadOnlyKey uses a read key to change data: FORBIDDEN, and nothing
// changes; a read-write key may.
func checkReadOnlyKey(t *testing.T, h *hub, owner http.Header) {
	read := bearer(h.newKey(t, owner, "read").Secret)
	id := h.store.Client.User.Query().Where(user.DisplayName("owner")).OnlyIDX(sys())
	rename := `mutation($id: ID!, $n: String!) { updateUser(id: $id, input: {displayName: $n}) { displayName } }`
	vars := map[string]any{"id": id, "n": "renamed by a read key"}
	wantCode(t, "updateUser with a read key", h.post(t, rename, vars, read), "FORBIDDEN")
	before := h.keyCount(t)
	wantCode(t, "createAPIKey with a read key", h.createKey(t, read, []string{"read"}, time.Time{}), "FORBIDDEN")
	if h.keyCount(t) != before || h.store.Client.User.GetX(sys(), id).DisplayName != "owner" {
		t.Error("a refused mutation of a read key changed the store")
	}
	readWrite := bearer(h.newKey(t, owner, "read", "write").Secret)
	vars["n"] = "owner"
	h.post(t, rename, vars, readWrite).NoErrors(t)
}

// checkKeyExpiry asks for a key that expires in the past (refused), then
// lets a valid key expire (refused as a credential).
func checkKeyExpiry(t *testing.T, h *hub, owner http.Header) {
	before := h.keyCount(t)
	resp := h.createKey(t, owner, []string{"read"}, time.Now().Add(-time.Hour))
	wantCode(t, "createAPIKey expiring in the past", resp, "BAD_USER_INPUT")
	if len(resp.Errors) > 0 && resp.Errors[0].Field() != "expiresAt" {
		t.Errorf("error field %q, want expiresAt", resp.Errors[0].Field())
	}
	if h.keyCount(t) != before {
		t.Error("a refused key was stored")
	}
	resp = h.createKey(t, owner, []string{"read"}, time.Now().Add(time.Hour))
	resp.NoErrors(t)
	var data struct{ CreateAPIKey createdKey }
	resp.Decode(t, &data)
	key := bearer(data.CreateAPIKey.Secret)
	h.post(t, `{ me { id } }`, nil, key).NoErrors(t)
	h.store.Client.APIKey.Update().Where(apikey.Prefix(data.CreateAPIKey.Key.Prefix)).
		SetExpiresAt(time.Now().Add(-time.Second)).ExecX(sys())
	resp = h.post(t, `{ me { id } }`, nil, key)
	wantCode(t, "an expired key", resp, "UNAUTHENTICATED")
	if resp.Status != http.StatusUnauthorized {
		t.Errorf("an expired key: status %d, want 401", resp.Status)
	}
}

const revokeMutation = `mutation($id: ID!) { revokeAPIKey(id: $id) { id revokedAt } }`

// checkRevoke revokes another user's key (NOT_FOUND; it keeps working) and
// the owner's own (refused from then on).
func checkRevoke(t *testing.T, h *hub, owner, other http.Header) {
	theirs := h.newKey(t, other, "read")
	wantCode(t, "revoking another user's key", h.post(t, revokeMutation, map[string]any{"id": theirs.Key.ID}, owner), "NOT_FOUND")
	h.post(t, `{ me { id } }`, nil, bearer(theirs.Secret)).NoErrors(t)
	mine := h.newKey(t, owner, "read")
	h.post(t, revokeMutation, map[string]any{"id": mine.Key.ID}, owner).NoErrors(t)
	wantCode(t, "a revoked key", h.post(t, `{ me { id } }`, nil, bearer(mine.Secret)), "UNAUTHENTICATED")
}

// checkBulkScope asks for bulk keys: the secretariat and analysts get
// them, other users do not.
func checkBulkScope(t *testing.T, h *hub, owner http.Header) {
	before := h.keyCount(t)
	wantCode(t, "a bulk key for a user without a global role", h.createKey(t, owner, []string{"read", "bulk"}, time.Time{}), "BAD_USER_INPUT")
	if h.keyCount(t) != before {
		t.Error("a refused bulk key was stored")
	}
	for _, name := range []string{"analyst", "secretariat"} {
		k := h.newKey(t, h.session(t, name), "read", "bulk")
		resp := h.post(t, `{ municipalities(first: 1000) { totalCount } }`, nil, bearer(k.Secret))
		resp.NoErrors(t)
	}
	wantCode(t, "a page of 1,000 without bulk", h.post(t, `{ municipalities(first: 1000) { totalCount } }`, nil, owner), "PAGE_SIZE_EXCEEDED")
}
