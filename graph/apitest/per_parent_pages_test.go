package apitest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// perParentArgs are the pages of posts each topic's page is read with:
// first pages in both orders, a last page, and a page after a cursor.
var perParentArgs = []string{
	`first: 2`,
	`first: 3, orderBy: [{field: CREATED_AT, direction: DESC}]`,
	`last: 2`,
	`first: 2, after: $after`,
}

// topicPosts is a topic with one page of its posts.
type topicPosts struct {
	ID    string
	Posts struct {
		Edges    []struct{ Node struct{ ID string } }
		PageInfo struct{ HasNextPage, HasPreviousPage bool }
	}
}

// ids returns the posts of the page, in order.
func (p topicPosts) ids() []string {
	var ids []string
	for _, e := range p.Posts.Edges {
		ids = append(ids, e.Node.ID)
	}
	return ids
}

// TestPerParentPagesMatchEachParentsOwn checks the pages of a connection
// read for many parents at once (through LATERAL on PostgreSQL, numbered
// in a window on SQLite) against the same page of each parent read alone:
// topics with none to seven posts, first and last pages, both orders, a
// cursor, for an anonymous reader. On PostgreSQL the statement must be
// the LATERAL one.
func TestPerParentPagesMatchEachParentsOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		c := store.Client
		cat := c.ForumCategory.Create().SetSlug("roads").SetName("Roads").SaveX(sys())
		writer := c.User.Create().SetEmail("roads@example.org").SetDisplayName("Roads").SaveX(sys())
		for i := range 8 {
			tp := c.Topic.Create().SetCategory(cat).SetTitle(fmt.Sprint("Roads ", i)).SetAuthorID(writer.ID).SaveX(sys())
			for j := range i {
				c.Post.Create().SetTopic(tp).SetAuthorID(writer.ID).SetBody(fmt.Sprint("post ", j)).ExecX(sys())
			}
		}
		cs, counter := counted(store)
		h := serve(t, cs)
		after := cursorOfFirstPost(t, h)
		for _, args := range perParentArgs {
			for _, withInfo := range []bool{false, true} {
				comparePerParentPages(t, store, h, counter, args, withInfo, after)
			}
		}
	})
}

// comparePerParentPages reads the posts(args) of every topic in one
// request and of each topic alone, with their page information when
// withInfo, and compares them.
func comparePerParentPages(t *testing.T, store *db.Store, h *hub, counter *counter, args string, withInfo bool, after string) {
	t.Helper()
	params, vars := "", map[string]any{}
	if strings.Contains(args, "$after") {
		params, vars["after"] = ", $after: Cursor", after
	}
	selection := `posts(` + args + `) { edges { node { id } } }`
	if withInfo {
		selection = `posts(` + args + `) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } }`
	}
	query := `{ topics(first: 20) { edges { node { id ` + selection + ` } } } }`
	if params != "" {
		query = `query(` + strings.TrimPrefix(params, ", ") + `) ` + query
	}
	var many struct {
		Topics struct{ Edges []struct{ Node topicPosts } }
	}
	stmts := countStatements(t, h, counter, false, query, vars, &many)
	lateral := slices.ContainsFunc(stmts, func(s string) bool { return strings.Contains(s, "CROSS JOIN LATERAL") })
	// A first page that tells whether more rows follow counts each
	// parent's rows in its own statement, over a window of all of them;
	// other pages count apart.
	countsInPage := withInfo && !strings.Contains(args, "last") && !strings.Contains(args, "after")
	if want := store.Dialect == dialect.Postgres && !countsInPage; lateral != want {
		t.Errorf("%s: a LATERAL statement %v, want %v:\n%s", selection, lateral, want, strings.Join(stmts, "\n"))
	}
	if len(many.Topics.Edges) < 8 {
		t.Fatalf("%s: %d topics, want 8", selection, len(many.Topics.Edges))
	}
	for _, e := range many.Topics.Edges {
		var one struct{ Node topicPosts }
		vars["id"] = e.Node.ID
		h.data(t, `query($id: ID!`+params+`) { node(id: $id) { ... on Topic { id `+selection+` } } }`, vars, &one)
		if !slices.Equal(e.Node.ids(), one.Node.ids()) || e.Node.Posts.PageInfo != one.Node.Posts.PageInfo {
			t.Errorf("%s of topic %s: %v %+v among many, %v %+v alone", selection, e.Node.ID,
				e.Node.ids(), e.Node.Posts.PageInfo, one.Node.ids(), one.Node.Posts.PageInfo)
		}
	}
}

// cursorOfFirstPost returns the cursor of the first post of the topic
// with the most posts.
func cursorOfFirstPost(t *testing.T, h *hub) string {
	t.Helper()
	var v struct {
		Topics struct {
			Edges []struct {
				Node struct {
					Posts struct{ Edges []struct{ Cursor string } }
				}
			}
		}
	}
	h.data(t, `{ topics(first: 20) { edges { node { posts(first: 1) { edges { cursor } } } } } }`, nil, &v)
	for _, e := range slices.Backward(v.Topics.Edges) {
		if len(e.Node.Posts.Edges) > 0 {
			return e.Node.Posts.Edges[0].Cursor
		}
	}
	t.Fatal("no topic has a post")
	return ""
}
