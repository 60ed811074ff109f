package subscriptiontest

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/server"
)

// wait bounds every wait in these tests; it is a hang guard, not a
// performance assertion.
const wait = 20 * time.Second

// grace is how long a check that nothing arrives listens.
const grace = 500 * time.Millisecond

// database is a fresh, migrated database of one dialect.
type database struct {
	dialect, url string
	store        *db.Store
}

// each runs fn as a subtest on a fresh database of every dialect.
func each(t *testing.T, fn func(t *testing.T, d *database)) {
	t.Helper()
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) { fn(t, newDatabase(t, dia)) })
	}
}

// newDatabase creates and migrates a database of the dialect.
func newDatabase(t testing.TB, dialect string) *database {
	t.Helper()
	d := &database{dialect: dialect, url: dbtest.URL(t, dialect)}
	d.store = d.open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := db.Migrate(ctx, d.store); err != nil {
		t.Fatalf("migrating: %v", err)
	}
	return d
}

// open opens another store on the database, as another process would.
func (d *database) open(t testing.TB) *db.Store {
	t.Helper()
	store, err := db.Open(d.url)
	if err != nil {
		t.Fatalf("opening %s: %v", db.Redact(d.url), err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// hub is one Hub server for a test.
type hub struct {
	t      testing.TB
	url    string // http://host:port
	store  *db.Store
	events subscriptions
}

// serve starts a server over d's first store; see serveStore.
func (d *database) serve(t testing.TB, configure func(*server.Config)) *hub {
	t.Helper()
	return d.serveStore(t, d.store, configure)
}

// serveStore starts the Hub's server over store with the default
// configuration, changed by configure (unless nil), and the PubSub that
// `hub serve` opens (LISTEN/NOTIFY of its own on PostgreSQL).
func (d *database) serveStore(t testing.TB, store *db.Store, configure func(*server.Config)) *hub {
	t.Helper()
	ps, err := pubsub.Open(context.Background(), store.Dialect, d.url, store.DB, pubsub.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatalf("opening the PubSub: %v", err)
	}
	t.Cleanup(func() { _ = ps.Close() })
	cfg := server.DefaultConfig()
	if configure != nil {
		configure(&cfg)
	}
	hs := server.New(cfg, store, slog.New(slog.DiscardHandler), server.WithPubSub(ps))
	srv := httptest.NewServer(hs.Handler())
	t.Cleanup(srv.Close)
	return &hub{t: t, url: srv.URL, store: store, events: subscriptions{hs}}
}

// endpoint is the URL of GraphQL over HTTP.
func (h *hub) endpoint() string { return h.url + "/graphql" }

// wsURL is the URL of GraphQL over websocket.
func (h *hub) wsURL() string { return "ws" + strings.TrimPrefix(h.url, "http") + "/graphql" }

// caller is an account with its session token, or nobody (no token).
type caller struct {
	id    string
	token string
}

// anonymous sends requests without credentials.
var anonymous caller

// header returns the Authorization header of c (empty for anonymous).
func (c caller) header() http.Header {
	if c.token == "" {
		return http.Header{}
	}
	return http.Header{"Authorization": {"Bearer " + c.token}}
}

// userID returns the numeric id of c's account.
func (c caller) userID(t testing.TB) int {
	t.Helper()
	n, err := strconv.Atoi(c.id)
	if err != nil {
		t.Fatalf("user id %q: %v", c.id, err)
	}
	return n
}

// account creates an account with role and signs it in.
func (h *hub) account(role user.Role) caller {
	h.t.Helper()
	c := caller{token: strings.TrimPrefix(authtest.Header(h.t, h.store, role).Get("Authorization"), "Bearer ")}
	c.id = h.value(c, `{ me { id } }`, nil, "me", "id")
	return c
}

// user creates a signed-in account without a global role.
func (h *hub) user() caller { return h.account(user.RoleNONE) }

// secretariat creates a signed-in secretariat account.
func (h *hub) secretariat() caller { return h.account(user.RoleSECRETARIAT) }

// vars are the variables of a request.
type vars = map[string]any

// do sends query over HTTP as c.
func (h *hub) do(c caller, query string, v vars) *gqltest.Response {
	h.t.Helper()
	return gqltest.Post(h.t, h.endpoint(), query, v, c.header())
}

// value sends query as c, fails the test on any error and returns the
// value at path of the data: strings as they are, anything else as JSON.
func (h *hub) value(c caller, query string, v vars, path ...string) string {
	h.t.Helper()
	resp := h.do(c, query, v)
	resp.NoErrors(h.t)
	var data any
	resp.Decode(h.t, &data)
	return at(data, path...)
}

// at returns the value at path (object keys and list indexes) of data:
// strings as they are, anything else as JSON.
func at(data any, path ...string) string {
	for _, key := range path {
		switch d := data.(type) {
		case map[string]any:
			data = d[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i >= len(d) {
				return ""
			}
			data = d[i]
		default:
			return ""
		}
	}
	if s, ok := data.(string); ok {
		return s
	}
	b, _ := json.Marshal(data)
	return string(b)
}

// category creates a forum category as admin and returns its id.
func (h *hub) category(admin caller, slug, visibility string) string {
	h.t.Helper()
	return h.value(admin, `mutation($s: String!, $v: ForumCategoryVisibility!) {
		createForumCategory(input: {name: $s, slug: $s, visibility: $v}) { id } }`,
		vars{"s": slug, "v": visibility}, "createForumCategory", "id")
}

// topic opens a topic as c and returns its id.
func (h *hub) topic(c caller, category, title string) string {
	h.t.Helper()
	return h.value(c, `mutation($c: ID!, $t: String!) {
		createTopic(input: {categoryId: $c, title: $t, body: "Opening words"}) { id } }`,
		vars{"c": category, "t": title}, "createTopic", "id")
}

// post writes a post as c in topic and returns its id.
func (h *hub) post(c caller, topic, body string) string {
	h.t.Helper()
	return h.value(c, `mutation($t: ID!, $b: String!) { createPost(input: {topicId: $t, body: $b}) { id } }`,
		vars{"t": topic, "b": body}, "createPost", "id")
}

// cursor returns the connection cursor of post in topic, as admin sees
// the topic's posts through the root posts list.
func (h *hub) cursor(admin caller, topic, post string) string {
	h.t.Helper()
	var data struct {
		Posts struct {
			Edges []struct {
				Cursor string
				Node   struct{ ID string }
			}
		}
	}
	resp := h.do(admin, `query($t: ID!) { posts(first: 100, where: {topicID: $t}) { edges { cursor node { id } } } }`, vars{"t": topic})
	resp.NoErrors(h.t)
	resp.Decode(h.t, &data)
	for _, e := range data.Posts.Edges {
		if e.Node.ID == post {
			return e.Cursor
		}
	}
	h.t.Fatalf("post %s is not among the posts of topic %s: %s", post, topic, resp.Body)
	return ""
}

// postExists reports whether admin finds a post with exactly this body.
func (h *hub) postExists(admin caller, body string) bool {
	h.t.Helper()
	n := h.value(admin, `query($b: String!) { posts(where: {body: $b}) { totalCount } }`, vars{"b": body}, "posts", "totalCount")
	return n != "0"
}

// subscriptions counts a server's running subscriptions per event topic,
// so that a test can wait until a subscriber listens before it makes the
// change the subscriber must see.
type subscriptions struct{ srv *server.Server }

// waitFor waits until topic has n running subscriptions.
func (s subscriptions) waitFor(t testing.TB, topic string, n int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for s.srv.Subscribers(topic) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscriptions to %s, want %d", s.srv.Subscribers(topic), topic, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// topicOf returns the numeric id of a topic, for naming its events.
func topicOf(t testing.TB, id string) int {
	t.Helper()
	n, err := strconv.Atoi(id)
	if err != nil {
		t.Fatalf("topic id %q: %v", id, err)
	}
	return n
}
