package matchtest

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// hub is the Hub's real HTTP server over a store with the demo data.
type hub struct {
	t        *testing.T
	endpoint string
	store    *db.Store
	admin    caller
}

// caller is an account with its session, or nobody.
type caller struct {
	name   string
	id     string
	header http.Header
}

// anonymous sends requests without credentials.
var anonymous = caller{name: "anonymous", header: http.Header{}}

// vars are the variables of a request.
type vars = map[string]any

// each runs fn on a fresh Hub with the demo data on every database.
func each(t *testing.T, fn func(t *testing.T, h *hub)) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		if err := seed.Demo(sys(), store.Client); err != nil {
			t.Fatalf("seeding the demo data: %v", err)
		}
		srv := httptest.NewServer(server.New(server.DefaultConfig(), store, slog.New(slog.DiscardHandler)).Handler())
		t.Cleanup(srv.Close)
		h := &hub{t: t, endpoint: srv.URL + "/graphql", store: store}
		h.admin = h.account("secretariat", user.RoleSECRETARIAT)
		fn(t, h)
	})
}

// sys is a context in which every policy allows, for setting up and
// checking the store behind the API's back.
func sys() context.Context { return authz.SystemContext(context.Background()) }

// account creates a signed-in account with a global role.
func (h *hub) account(name string, role user.Role) caller {
	h.t.Helper()
	c := caller{name: name, header: authtest.Header(h.t, h.store, role)}
	c.id = h.value(c, `{ me { id } }`, nil, "me", "id")
	return c
}

// staff creates an account that is staff of a municipality (by name) or
// an association (by acronym) with role.
func (h *hub) staff(name string, role membership.Role, municipalityName, acronym string) caller {
	h.t.Helper()
	c := h.account(name, user.RoleNONE)
	b := h.store.Client.Membership.Create().SetUserID(atoi(h.t, c.id)).SetRole(role)
	if municipalityName != "" {
		b.SetMunicipalityID(h.municipality(municipalityName))
	} else {
		b.SetAssociationID(h.store.Client.Association.Query().Where(association.Acronym(acronym)).OnlyIDX(sys()))
	}
	b.SaveX(sys())
	return c
}

// municipality returns the id of the municipality named name.
func (h *hub) municipality(name string) int {
	h.t.Helper()
	id, err := h.store.Client.Municipality.Query().Where(municipality.Name(name)).OnlyID(sys())
	if err != nil {
		h.t.Fatalf("municipality %s: %v", name, err)
	}
	return id
}

// mid returns the GraphQL id of the municipality named name.
func (h *hub) mid(name string) string { return strconv.Itoa(h.municipality(name)) }

// do sends query as c.
func (h *hub) do(c caller, query string, v vars) *gqltest.Response {
	h.t.Helper()
	return gqltest.Post(h.t, h.endpoint, query, v, c.header)
}

// ok sends query as c, fails on any error and decodes data into out
// (unless nil).
func (h *hub) ok(c caller, query string, v vars, out any) {
	h.t.Helper()
	resp := h.do(c, query, v)
	if len(resp.Errors) > 0 || resp.Status != http.StatusOK {
		h.t.Fatalf("%s: want success, got %d: %s", c.name, resp.Status, resp.Body)
	}
	if out != nil {
		resp.Decode(h.t, out)
	}
}

// refused sends query as c and checks that it fails with code.
func (h *hub) refused(c caller, code, query string, v vars) *gqltest.Response {
	h.t.Helper()
	resp := h.do(c, query, v)
	if resp.Code() != code {
		h.t.Fatalf("%s: want %s, got status %d: %s", c.name, code, resp.Status, resp.Body)
	}
	return resp
}

// value returns the value at path of a successful answer as text.
func (h *hub) value(c caller, query string, v vars, path ...string) string {
	h.t.Helper()
	var data any
	h.ok(c, query, v, &data)
	for _, key := range path {
		switch d := data.(type) {
		case map[string]any:
			data = d[key]
		case []any:
			i, _ := strconv.Atoi(key)
			data = nil
			if i < len(d) {
				data = d[i]
			}
		}
	}
	if s, ok := data.(string); ok {
		return s
	}
	b, _ := json.Marshal(data)
	return string(b)
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return n
}

// suggestion is one node of matchSuggestions.
type suggestion struct {
	Rank         int
	Score        float64
	Municipality struct{ ID, Name string }
	Reasons      []struct {
		Factor       string
		Weight       float64
		Contribution float64
		Text         string
	}
}

const suggestionsQuery = `query($m: ID!, $n: Int, $after: Cursor, $where: MatchSuggestionWhereInput) {
	matchSuggestions(municipalityId: $m, first: $n, after: $after, where: $where) {
		pageInfo { hasNextPage endCursor }
		edges { cursor node { rank score municipality { id name } reasons { factor weight contribution text } } } } }`

// suggestions returns the first n suggestions of municipality as c sees them.
func (h *hub) suggestions(c caller, municipalityName string, n int) []suggestion {
	h.t.Helper()
	var data struct {
		MatchSuggestions struct{ Edges []struct{ Node suggestion } }
	}
	h.ok(c, suggestionsQuery, vars{"m": h.mid(municipalityName), "n": n}, &data)
	out := make([]suggestion, len(data.MatchSuggestions.Edges))
	for i, e := range data.MatchSuggestions.Edges {
		out[i] = e.Node
	}
	return out
}

// names returns the municipalities of suggestions.
func names(ss []suggestion) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Municipality.Name
	}
	return out
}

// find returns the suggestion of the municipality named name, if any.
func find(ss []suggestion, name string) (suggestion, bool) {
	for _, s := range ss {
		if s.Municipality.Name == name {
			return s, true
		}
	}
	return suggestion{}, false
}

// reasonText returns the text of a suggestion's reason for factor.
func (s suggestion) reasonText(factor string) string {
	for _, r := range s.Reasons {
		if r.Factor == factor {
			return r.Text
		}
	}
	return ""
}

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// createNeed adds a need as c and returns its id.
func (h *hub) createNeed(c caller, municipalityName, sector, urgency string) string {
	h.t.Helper()
	return h.value(c, `mutation($m: ID!, $s: Sector!, $u: Urgency) {
		createNeed(input: {municipalityId: $m, sector: $s, description: "needed", urgency: $u}) { id } }`,
		vars{"m": h.mid(municipalityName), "s": sector, "u": urgency}, "createNeed", "id")
}

// createOffer adds an offer as c and returns its id.
func (h *hub) createOffer(c caller, municipalityName, sector string, capacity int) string {
	h.t.Helper()
	return h.value(c, `mutation($m: ID!, $s: Sector!, $c: Int) {
		createOffer(input: {municipalityId: $m, sector: $s, description: "offered", capacity: $c}) { id } }`,
		vars{"m": h.mid(municipalityName), "s": sector, "c": capacity}, "createOffer", "id")
}
