package eventtest

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// hub is the Hub's real HTTP server over a fresh store, for one test.
type hub struct {
	t     *testing.T
	base  string
	store *db.Store
}

// caller is an account with its session, or nobody.
type caller struct {
	id     string
	header http.Header
}

var anonymous = caller{header: http.Header{}}

type vars = map[string]any

// each runs fn on a fresh Hub of every database.
func each(t *testing.T, fn func(t *testing.T, h *hub)) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) { fn(t, serve(t, store)) })
}

// eachAsDeployed is each with SQLite in a file, as hub serve opens it (the
// tests' in-memory SQLite shares one cache, whose table locks make
// concurrent writers fail at once instead of waiting their turn).
func eachAsDeployed(t *testing.T, fn func(t *testing.T, h *hub)) {
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			if dia != "sqlite" {
				fn(t, serve(t, dbtest.Open(t, dia)))
				return
			}
			store, err := db.Open("sqlite://" + filepath.Join(t.TempDir(), "hub.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = store.Close() })
			if err := db.Migrate(context.Background(), store); err != nil {
				t.Fatal(err)
			}
			fn(t, serve(t, store))
		})
	}
}

// serve starts the Hub's server over store; it logs errors only.
func serve(t *testing.T, store *db.Store) *hub {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv := httptest.NewServer(server.New(server.DefaultConfig(), store, logger).Handler())
	t.Cleanup(srv.Close)
	return &hub{t: t, base: srv.URL, store: store}
}

func sys() context.Context { return authz.SystemContext(context.Background()) }

// account creates a signed-in account with role.
func (h *hub) account(role user.Role) caller {
	h.t.Helper()
	c := caller{header: authtest.Header(h.t, h.store, role)}
	c.id = h.value(c, `{ me { id } }`, nil, "me", "id")
	return c
}

// member makes c staff of a municipality or association with role.
func (h *hub) member(c caller, role membership.Role, municipality, association *int) {
	h.t.Helper()
	h.store.Client.Membership.Create().SetUserID(h.intID(c.id)).SetRole(role).
		SetNillableMunicipalityID(municipality).SetNillableAssociationID(association).SaveX(sys())
}

func (h *hub) do(c caller, query string, v vars) *gqltest.Response {
	h.t.Helper()
	return gqltest.Post(h.t, h.base+"/graphql", query, v, c.header)
}

// value returns the value at path of a successful answer, strings as they
// are, anything else as JSON.
func (h *hub) value(c caller, query string, v vars, path ...string) string {
	h.t.Helper()
	resp := h.do(c, query, v)
	resp.NoErrors(h.t)
	var data any
	resp.Decode(h.t, &data)
	for _, key := range path {
		switch d := data.(type) {
		case map[string]any:
			data = d[key]
		case []any:
			i, _ := strconv.Atoi(key)
			data = d[i]
		}
	}
	if s, ok := data.(string); ok {
		return s
	}
	b, _ := json.Marshal(data)
	return string(b)
}

// refused checks that query fails with code.
func (h *hub) refused(c caller, code, query string, v vars) {
	h.t.Helper()
	if resp := h.do(c, query, v); resp.Code() != code {
		h.t.Fatalf("want %s, got %d: %s", code, resp.Status, resp.Body)
	}
}

func (h *hub) intID(id string) int {
	h.t.Helper()
	n, err := strconv.Atoi(id)
	if err != nil {
		h.t.Fatalf("id %q: %v", id, err)
	}
	return n
}

// place is a country with a municipality.
type place struct{ country, municipality int }

func (h *hub) place(code, country, name string) place {
	c := h.store.Client
	ctry := c.Country.Create().SetCode(code).SetName(country).SetEuMember(code != "UA").SaveX(sys())
	return place{ctry.ID, c.Municipality.Create().SetName(name).SetCountryID(ctry.ID).SaveX(sys()).ID}
}

const createTraining = `mutation($t: String!, $cap: Int, $aud: EventAudience, $s: Time!, $e: Time!) {
	createEvent(input: {title: $t, kind: TRAINING, startsAt: $s, endsAt: $e, timeZone: "Europe/Kyiv", capacity: $cap, audience: $aud}) { id } }`

const register = `mutation($e: ID!, $u: ID) { registerForEvent(eventId: $e, userId: $u) { id status position } }`

// hidden checks that c cannot see the node with id: node(id:) answers null.
func (h *hub) hidden(c caller, id string) {
	h.t.Helper()
	var out struct{ Node *struct{ ID string } }
	h.do(c, `query($id: ID!) { node(id: $id) { id } }`, vars{"id": id}).Decode(h.t, &out)
	if out.Node != nil {
		h.t.Fatalf("node %s is visible", id)
	}
}

// quiet is the logger of the tests: they check answers, not logs.
var quiet = slog.New(slog.DiscardHandler)
