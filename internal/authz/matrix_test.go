package authz_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/ent/session"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

const password = "a long enough demo passphrase"

// world is the fixture: two partnerships, one of which (P1: Alpha–Beta,
// facilitated by association X) the staff users belong to.
type world struct {
	alpha, beta, gamma, delta *ent.Municipality
	x                         *ent.Association
	p1, p2                    *ent.Partnership
	draft1, public1, draft2   *ent.Project
	phase                     *ent.Phase
	users                     map[string]*ent.User
}

// roles are the callers of the matrix; each maps to its Authorization
// header (empty for anonymous).
var roles = []string{"anonymous", "memberA", "editorA", "coordX", "secretariat", "analyst", "analystKey", "disabled", "expired", "revokedKey"}

func buildWorld(t *testing.T, client *ent.Client) *world {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	ua := client.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(ctx)
	pl := client.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(ctx)
	muni := func(name string, c *ent.Country) *ent.Municipality {
		return client.Municipality.Create().SetName(name).SetCountry(c).SaveX(ctx)
	}
	w := &world{alpha: muni("Alpha", ua), beta: muni("Beta", pl), gamma: muni("Gamma", ua), delta: muni("Delta", pl), users: map[string]*ent.User{}}
	w.x = client.Association.Create().SetAcronym("X").SetName("Association X").SetCountry(pl).SaveX(ctx)
	w.phase = client.Phase.Create().SetName("pilot").SaveX(ctx)
	w.p1 = client.Partnership.Create().SetUkrainianMunicipality(w.alpha).SetEuropeanMunicipality(w.beta).SetPhase(w.phase).AddFacilitators(w.x).SaveX(ctx)
	w.p2 = client.Partnership.Create().SetUkrainianMunicipality(w.gamma).SetEuropeanMunicipality(w.delta).SetPhase(w.phase).SaveX(ctx)
	proj := func(title string, p *ent.Partnership, st project.Status) *ent.Project {
		return client.Project.Create().SetTitle(title).SetPartnership(p).SetSector("WATER").SetStatus(st).SaveX(ctx)
	}
	w.draft1 = proj("draft one", w.p1, project.StatusCONCEPT)
	w.public1 = proj("public one", w.p1, project.StatusFUNDED)
	w.draft2 = proj("draft two", w.p2, project.StatusCONCEPT)
	return w
}

// signIn creates the role users and returns each role's header.
func signIn(t *testing.T, store *db.Store, w *world, url string) map[string]http.Header {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	svc := auth.New(store.Client, auth.DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	mk := func(name string, role user.Role) *ent.User {
		u, err := svc.CreateUser(ctx, auth.NewUser{Email: name + "@example.org", DisplayName: name, Password: password, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		w.users[name] = u
		return u
	}
	member := func(u *ent.User, role string, m *ent.Municipality, a *ent.Association) {
		c := store.Client.Membership.Create().SetUser(u).SetRole(membership.Role(role))
		if m != nil {
			c.SetMunicipality(m)
		} else {
			c.SetAssociation(a)
		}
		c.SaveX(ctx)
	}
	member(mk("memberA", user.RoleNONE), "MEMBER", w.alpha, nil)
	member(mk("editorA", user.RoleNONE), "EDITOR", w.alpha, nil)
	member(mk("coordX", user.RoleNONE), "EDITOR", nil, w.x)
	mk("secretariat", user.RoleSECRETARIAT)
	mk("analyst", user.RoleANALYST)
	mk("disabled", user.RoleNONE)
	mk("expired", user.RoleNONE)
	mk("revokedKey", user.RoleANALYST)

	headers := map[string]http.Header{"anonymous": {}}
	for _, name := range []string{"memberA", "editorA", "coordX", "secretariat", "analyst", "disabled", "expired", "revokedKey"} {
		headers[name] = bearer(login(t, url, name))
	}
	headers["analystKey"] = bearer(createKey(t, url, headers["analyst"], `[read, bulk]`))
	revoked := createKey(t, url, headers["revokedKey"], `[read]`)
	revokeKeys(t, url, headers["revokedKey"])
	headers["revokedKey"] = bearer(revoked)
	if err := svc.Disable(ctx, "disabled@example.org"); err != nil {
		t.Fatal(err)
	}
	store.Client.Session.Update().Where(session.UserID(w.users["expired"].ID)).
		SetExpiresAt(time.Now().Add(-time.Minute)).ExecX(ctx)
	return headers
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

func login(t *testing.T, url, name string) string {
	t.Helper()
	resp := gqltest.Post(t, url, `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token user { id } } }`,
		map[string]any{"e": name + "@example.org", "p": password}, nil)
	resp.NoErrors(t)
	var data struct{ Login struct{ Token string } }
	resp.Decode(t, &data)
	return data.Login.Token
}

func createKey(t *testing.T, url string, h http.Header, scopes string) string {
	t.Helper()
	resp := gqltest.Post(t, url, `mutation { createAPIKey(input: {name: "script", scopes: `+scopes+`}) { secret key { id prefix } } }`, nil, h)
	resp.NoErrors(t)
	var data struct{ CreateAPIKey struct{ Secret string } }
	resp.Decode(t, &data)
	return data.CreateAPIKey.Secret
}

func revokeKeys(t *testing.T, url string, h http.Header) {
	t.Helper()
	resp := gqltest.Post(t, url, `{ me { apiKeys { id } } }`, nil, h)
	resp.NoErrors(t)
	var data struct {
		Me struct{ APIKeys []struct{ ID string } }
	}
	resp.Decode(t, &data)
	for _, k := range data.Me.APIKeys {
		gqltest.Post(t, url, `mutation($id: ID!) { revokeAPIKey(id: $id) { revokedAt } }`, map[string]any{"id": k.ID}, h).NoErrors(t)
	}
}

// check is one cell of the matrix: a GraphQL operation and, per role, the
// expected outcome: "ok", an error code, or a value the projection returns.
type check struct {
	name  string
	query func(w *world) (string, map[string]any)
	// want maps a role to the expected outcome; missing roles expect
	// defaultWant.
	want        map[string]string
	defaultWant string
	// project turns a successful response into the compared value; nil
	// compares "ok".
	project func(resp *gqltest.Response) string
}

// outcome runs a check for one role.
func outcome(t *testing.T, url string, h http.Header, c check, w *world) string {
	t.Helper()
	q, vars := c.query(w)
	resp := gqltest.Post(t, url, q, vars, h)
	if code := resp.Code(); code != "" {
		return code
	}
	if resp.Status != http.StatusOK {
		return fmt.Sprintf("status %d", resp.Status)
	}
	if c.project != nil {
		return c.project(resp)
	}
	return "ok"
}

func TestAuthorizationMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		w := buildWorld(t, store.Client)
		srv := httptest.NewServer(server.New(server.DefaultConfig(), store, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
		defer srv.Close()
		url := srv.URL + "/graphql"
		headers := signIn(t, store, w, url)
		for _, c := range matrix() {
			t.Run(c.name, func(t *testing.T) {
				for _, role := range roles {
					want, ok := c.want[role]
					if !ok {
						want = c.defaultWant
					}
					if got := outcome(t, url, headers[role], c, w); got != want {
						t.Errorf("%s: got %q, want %q", role, got, want)
					}
				}
			})
		}
		assertNothingWrittenByDenials(t, store)
	})
}

// unauthenticated are the roles whose credentials are refused.
var unauthenticated = map[string]string{"disabled": "UNAUTHENTICATED", "expired": "UNAUTHENTICATED", "revokedKey": "UNAUTHENTICATED"}

// with returns the unauthenticated roles plus more.
func with(more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range unauthenticated {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// value returns the JSON value at path in the response's data, as text:
// a string as is, anything else (null, numbers, objects) as JSON.
func value(resp *gqltest.Response, path ...string) string {
	var v any
	if err := json.Unmarshal(resp.Data, &v); err != nil {
		return "undecodable: " + err.Error()
	}
	for _, key := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return "null"
		}
		v = obj[key]
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// at projects a response onto the value at path.
func at(path ...string) func(*gqltest.Response) string {
	return func(resp *gqltest.Response) string { return value(resp, path...) }
}

func gid(id int) string { return strconv.Itoa(id) }

func assertNothingWrittenByDenials(t *testing.T, store *db.Store) {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	// Allowed: three roles in P1, the secretariat in P2.
	n := store.Client.Project.Query().Where(project.TitleHasPrefix("matrix project")).CountX(ctx)
	if n != 4 {
		t.Errorf("createProject wrote %d rows, want 4 (the allowed ones): a denied one must write nothing", n)
	}
}
