package audit_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

const password = "audit tests sign in with this"

// world is the fixture: municipalities, a phase, and signed-in users.
type world struct {
	store              *db.Store
	url                string
	alpha, beta, gamma *ent.Municipality
	phase              *ent.Phase
	// users maps a name to its account, headers to its session.
	users   map[string]*ent.User
	headers map[string]http.Header
}

func sys() context.Context { return authz.SystemContext(context.Background()) }

// newWorld serves store over HTTP with a secretariat user, an editor and a
// member of Alpha, signed in.
func newWorld(t *testing.T, store *db.Store) *world {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(server.DefaultConfig(), store, logger).Handler())
	t.Cleanup(srv.Close)
	c := store.Client
	ua := c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
	pl := c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys())
	w := &world{store: store, url: srv.URL + "/graphql", users: map[string]*ent.User{}, headers: map[string]http.Header{},
		alpha: c.Municipality.Create().SetName("Alpha").SetCountry(ua).SaveX(sys()),
		beta:  c.Municipality.Create().SetName("Beta").SetCountry(pl).SaveX(sys()),
		gamma: c.Municipality.Create().SetName("Gamma").SetCountry(ua).SaveX(sys()),
		phase: c.Phase.Create().SetName("pilot").SaveX(sys()),
	}
	svc := auth.New(c, auth.DefaultConfig(), logger)
	for name, role := range map[string]user.Role{"secretariat": user.RoleSECRETARIAT, "editor": user.RoleNONE, "member": user.RoleNONE} {
		u, err := svc.CreateUser(sys(), auth.NewUser{Email: name + "@example.org", DisplayName: "The " + name, Password: password, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := svc.Login(context.Background(), u.Email, password, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		w.users[name], w.headers[name] = u, http.Header{"Authorization": {"Bearer " + sess.Token}}
	}
	c.Membership.Create().SetUser(w.users["editor"]).SetMunicipality(w.alpha).SetRole(membership.RoleEDITOR).ExecX(sys())
	c.Membership.Create().SetUser(w.users["member"]).SetMunicipality(w.alpha).SetRole(membership.RoleMEMBER).ExecX(sys())
	return w
}

// post sends a GraphQL request as the named user ("" for anonymous).
func (w *world) post(t *testing.T, as, query string, vars map[string]any) *gqltest.Response {
	t.Helper()
	return gqltest.Post(t, w.url, query, vars, w.headers[as])
}

// auditCount returns how many audit entries the store holds.
func (w *world) auditCount(t *testing.T) int {
	t.Helper()
	return w.store.Client.AuditLog.Query().CountX(sys())
}

const updateWebsite = `mutation($id: ID!, $w: String!) { updateMunicipality(id: $id, input: {website: $w}) { id website } }`

const createPartnership = `mutation($ua: ID!, $eu: ID!, $ph: ID!) {
  createPartnership(input: {ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu, phaseID: $ph}) { id } }`

// partnershipVars are the variables of createPartnership for ua and beta.
func (w *world) partnershipVars(ua *ent.Municipality) map[string]any {
	return map[string]any{"ua": ua.ID, "eu": w.beta.ID, "ph": w.phase.ID}
}

// id returns a record id as a GraphQL ID.
func id(n int) string { return strconv.Itoa(n) }
