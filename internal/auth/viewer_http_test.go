package auth_test

import (
	"testing"

	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// signedInMutation signs in and reads, in the payload, what only the
// signed-in user may see of themselves: the e-mail address, memberships
// and API keys.
const signedInMutation = `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) {
  token user { email role memberships(first: 10) { totalCount edges { node { role association { acronym } } } } apiKeys { name } } } }`

// TestLoginAnswersAsTheNewViewer checks that login's payload is resolved
// as the user who signed in sees it, not as the anonymous caller who sent
// it (nor as another account the request was signed in with), and that
// a user who takes their own role away sees the payload of updateUser
// with the new role.
func TestLoginAnswersAsTheNewViewer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		ana := h.user(t, "ana", user.RoleNONE)
		assoc := store.Client.Association.Create().SetAcronym("LALRG").SetName("Latvian Association").SaveX(sys())
		store.Client.Membership.Create().SetUser(ana).SetAssociation(assoc).SetRole(membership.RoleEDITOR).ExecX(sys())
		h.user(t, "bob", user.RoleNONE)

		type payload struct {
			Login struct {
				Token string
				User  struct {
					Email       *string
					Role        string
					Memberships struct {
						TotalCount int
						Edges      []struct {
							Node struct {
								Role        string
								Association struct{ Acronym string }
							}
						}
					}
					APIKeys []struct{ Name string }
				}
			}
		}
		vars := map[string]any{"e": "ana@example.org", "p": password}
		for name, header := range map[string]map[string][]string{"anonymous": nil, "signed in as bob": h.session(t, "bob")} {
			resp := h.post(t, signedInMutation, vars, header)
			resp.NoErrors(t)
			var got payload
			resp.Decode(t, &got)
			u := got.Login.User
			if u.Email == nil || *u.Email != "ana@example.org" || u.Memberships.TotalCount != 1 ||
				len(u.Memberships.Edges) != 1 || u.Memberships.Edges[0].Node.Association.Acronym != "LALRG" || u.APIKeys == nil {
				t.Errorf("%s: login's user is not seen as ana sees herself: %s", name, resp.Data)
			}
		}

		// The secretariat demotes itself: the payload is read as the
		// demoted viewer, who no longer reads other users' e-mail.
		boss := h.user(t, "boss", user.RoleSECRETARIAT)
		admin := h.session(t, "boss")
		resp := h.post(t, `mutation($id: ID!, $a: ID!) { updateUser(id: $id, input: {role: NONE}) { role } u: updateUser(id: $a, input: {}) { email } }`,
			map[string]any{"id": boss.ID, "a": ana.ID}, admin)
		var demoted struct {
			U *struct{ Email *string }
		}
		resp.Decode(t, &demoted)
		if demoted.U != nil && demoted.U.Email != nil {
			t.Errorf("after demoting itself, the operation still acted as the secretariat: %s", resp.Body)
		}
	})
}
