package forumtest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// forumPage is what the portal shows of a category: its topics with their
// author, first post and its reactions, and counts.
const forumPage = `{ topics(first: 50, orderBy: [{field: PINNED, direction: DESC}, {field: LAST_ACTIVITY_AT, direction: DESC}]) {
	totalCount edges { node { title replyCount category { name visibility } author { displayName }
		posts(first: 1) { totalCount edges { node { bodyHTML author { displayName } mentions { handle }
			reactions(first: 5) { totalCount edges { node { kind } } } } } } } } } }`

// countedHub serves store through a client whose statements are counted.
func countedHub(t *testing.T, store *db.Store) (*hub, *atomic.Int64) {
	var n atomic.Int64
	drv := dialect.DebugWithContext(entsql.OpenDB(store.Dialect, store.DB), func(context.Context, ...any) { n.Add(1) })
	counted := &db.Store{Client: db.NewClient(drv), DB: store.DB, Dialect: store.Dialect, Driver: store.Driver}
	srv := httptest.NewServer(server.New(server.DefaultConfig(), counted, slog.New(slog.DiscardHandler)).Handler())
	t.Cleanup(srv.Close)
	return &hub{t: t, endpoint: srv.URL + "/graphql", store: store}, &n
}

// TestForumPageStatements checks that the statements of the forum page do
// not grow with the number of topics (no N+1).
func TestForumPageStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h, n := countedHub(t, store)
		admin, alice := h.secretariat(), h.user("alice")
		category := h.category(admin, "general", "MEMBERS")
		var counts []int64
		for _, topics := range []int{2, 6} {
			for h.count(admin, "topics", "") < topics {
				id := h.topic(alice, category, "topic", "hello @alice")
				h.ok(admin, `mutation($p: ID!) { react(postId: $p, kind: LIKE) { id } }`, vars{"p": h.firstPost(admin, id)}, nil)
			}
			h.ok(alice, forumPage, nil, nil)
			n.Store(0)
			h.ok(alice, forumPage, nil, nil)
			counts = append(counts, n.Load())
		}
		if counts[0] != counts[1] {
			t.Errorf("the forum page costs %d statements for 2 topics and %d for 6: an N+1", counts[0], counts[1])
		}
		t.Logf("forum page: %d statements", counts[1])
	})
}
