package forumtest

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
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
	t        *testing.T
	endpoint string
	store    *db.Store
}

// caller is someone who sends requests: an account with its session, or
// nobody (anonymous, no header).
type caller struct {
	id     string
	header http.Header
}

// anonymous sends requests without credentials.
var anonymous = caller{header: http.Header{}}

// each runs fn on a fresh Hub of every database.
func each(t *testing.T, fn func(t *testing.T, h *hub)) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		srv := httptest.NewServer(server.New(server.DefaultConfig(), store, slog.New(slog.DiscardHandler)).Handler())
		t.Cleanup(srv.Close)
		fn(t, &hub{t: t, endpoint: srv.URL + "/graphql", store: store})
	})
}

// sys returns a context in which every privacy policy allows, for checking
// the store behind the API's back.
func sys() context.Context { return authz.SystemContext(context.Background()) }

// account creates a signed-in account with role and, unless empty, a
// handle set through the API.
func (h *hub) account(role user.Role, handle string) caller {
	h.t.Helper()
	c := caller{header: authtest.Header(h.t, h.store, role)}
	var me struct{ Me struct{ ID string } }
	h.ok(c, `{ me { id } }`, nil, &me)
	c.id = me.Me.ID
	if handle != "" {
		h.ok(c, `mutation($id: ID!, $h: String!) { updateUser(id: $id, input: {handle: $h}) { handle } }`,
			vars{"id": c.id, "h": handle}, nil)
	}
	return c
}

// user creates a signed-in account without a global role.
func (h *hub) user(handle string) caller { return h.account(user.RoleNONE, handle) }

// secretariat creates a signed-in secretariat account.
func (h *hub) secretariat() caller { return h.account(user.RoleSECRETARIAT, "") }

// member makes c staff of a municipality or an association with role.
func (h *hub) member(c caller, role membership.Role, municipality, association *int) {
	h.t.Helper()
	h.store.Client.Membership.Create().SetUserID(intID(h.t, c.id)).SetRole(role).
		SetNillableMunicipalityID(municipality).SetNillableAssociationID(association).SaveX(sys())
}

// vars are the variables of a request.
type vars = map[string]any

// do sends query as c.
func (h *hub) do(c caller, query string, v vars) *gqltest.Response {
	h.t.Helper()
	return gqltest.Post(h.t, h.endpoint, query, v, c.header)
}

// ok sends query as c, fails the test on any error and decodes the data
// into out (unless nil).
func (h *hub) ok(c caller, query string, v vars, out any) {
	h.t.Helper()
	resp := h.do(c, query, v)
	resp.NoErrors(h.t)
	if out != nil {
		resp.Decode(h.t, out)
	}
}

// refused sends query as c and checks that it fails with code.
func (h *hub) refused(c caller, code, query string, v vars) *gqltest.Response {
	h.t.Helper()
	resp := h.do(c, query, v)
	if resp.Code() != code {
		h.t.Fatalf("want %s, got status %d: %s", code, resp.Status, resp.Body)
	}
	return resp
}

// value returns the value at path in the data of a successful request, as
// text: strings as they are, anything else as JSON.
func (h *hub) value(c caller, query string, v vars, path ...string) string {
	h.t.Helper()
	var data any
	h.ok(c, query, v, &data)
	for _, key := range path {
		data = step(data, key)
	}
	if s, ok := data.(string); ok {
		return s
	}
	b, _ := json.Marshal(data)
	return string(b)
}

// count returns totalCount of the root connection field (with optional
// arguments, e.g. `(where: {...})`) as c sees it.
func (h *hub) count(c caller, field, args string) int {
	h.t.Helper()
	n, err := strconv.Atoi(h.value(c, `{ c: `+field+args+` { totalCount } }`, nil, "c", "totalCount"))
	if err != nil {
		h.t.Fatalf("totalCount of %s: %v", field, err)
	}
	return n
}

// step returns the member key of an object, or the element at index key
// of a list, or nil.
func step(data any, key string) any {
	switch d := data.(type) {
	case map[string]any:
		return d[key]
	case []any:
		if i, err := strconv.Atoi(key); err == nil && i < len(d) {
			return d[i]
		}
	}
	return nil
}

func intID(t testing.TB, id string) int {
	t.Helper()
	n, err := strconv.Atoi(id)
	if err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	return n
}

// category creates a forum category as the secretariat and returns its id.
func (h *hub) category(admin caller, slug, visibility string) string {
	h.t.Helper()
	return h.value(admin, `mutation($s: String!, $v: ForumCategoryVisibility!) {
		createForumCategory(input: {name: $s, slug: $s, visibility: $v}) { id } }`,
		vars{"s": slug, "v": visibility}, "createForumCategory", "id")
}

// topic opens a topic as c and returns its id.
func (h *hub) topic(c caller, category, title, body string) string {
	h.t.Helper()
	return h.value(c, `mutation($c: ID!, $t: String!, $b: String!) {
		createTopic(input: {categoryId: $c, title: $t, body: $b}) { id } }`,
		vars{"c": category, "t": title, "b": body}, "createTopic", "id")
}

// post writes a post as c and returns its id; replyTo may be "".
func (h *hub) post(c caller, topic, body, replyTo string) string {
	h.t.Helper()
	v := vars{"t": topic, "b": body, "r": nil}
	if replyTo != "" {
		v["r"] = replyTo
	}
	return h.value(c, `mutation($t: ID!, $b: String!, $r: ID) {
		createPost(input: {topicId: $t, body: $b, replyToId: $r}) { id } }`, v, "createPost", "id")
}

// firstPost returns the id of a topic's first post as the secretariat sees it.
func (h *hub) firstPost(admin caller, topic string) string {
	h.t.Helper()
	return h.value(admin, `query($id: ID!) { node(id: $id) { ... on Topic { posts(first: 1) { edges { node { id } } } } } }`,
		vars{"id": topic}, "node", "posts", "edges", "0", "node", "id")
}

// entClient is the store's client, for checks behind the API's back.
func (h *hub) entClient() *ent.Client { return h.store.Client }
