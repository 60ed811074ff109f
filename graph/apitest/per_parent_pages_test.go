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
		Edges      []struct{ Node struct{ ID string } }
		PageInfo   struct{ HasNextPage, HasPreviousPage bool }
		TotalCount int
	}
}

// samePage reports whether a and b read the same page of the same posts,
// with the same page information and total.
func samePage(a, b topicPosts) bool {
	return a.ID == b.ID && slices.Equal(a.ids(), b.ids()) && a.Posts.PageInfo == b.Posts.PageInfo && a.Posts.TotalCount == b.Posts.TotalCount
}

// ids returns the posts of the page, in order.
func (p topicPosts) ids() []string { return nodeIDs(p.Posts.Edges) }

// nodeIDs returns the ids of the nodes of a page's edges, in order.
func nodeIDs(edges []struct{ Node struct{ ID string } }) []string {
	ids := make([]string, len(edges))
	for i, e := range edges {
		ids[i] = e.Node.ID
	}
	return ids
}

// perParentNodes are what the pages' posts select, and what marks the
// statement that PostgreSQL reads such pages with when they do not count
// their rows: posts that load nothing more, or only their author (joined),
// fold into the topics' statement; posts that load their reactions (a
// connection) go through LATERAL.
var perParentNodes = []struct{ fields, marker string }{
	{"id", `"hubf_posts__posts"`},
	{"id author { displayName }", `"hubf_posts__posts"`},
	{"id reactions(first: 1) { totalCount }", "CROSS JOIN LATERAL"},
}

// TestPerParentPagesMatchEachParentsOwn checks the pages of a connection
// read for many parents at once (folded into the parents' statement or
// through LATERAL on PostgreSQL, numbered in a window on SQLite) against
// the same page of each parent read alone, and the folded pages against
// those read through LATERAL: topics with none to seven posts, first and
// last pages, both orders, a cursor, for an anonymous reader.
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
				var pages [][]topicPosts
				for _, nodes := range perParentNodes {
					pages = append(pages, comparePerParentPages(t, store, h, counter, args, nodes.fields, nodes.marker, withInfo, after))
				}
				for i := range pages[:len(pages)-1] {
					if !slices.EqualFunc(pages[i], pages[len(pages)-1], samePage) {
						t.Errorf("posts(%s) with info %v: pages folded (%s) and through LATERAL differ:\n%+v\n%+v", args, withInfo,
							perParentNodes[i].fields, pages[i], pages[len(pages)-1])
					}
				}
			}
		}
	})
}

// comparePerParentPages reads the posts(args), selecting fields, of every
// topic in one request and of each topic alone, with their page
// information and total when withInfo, compares them, checks that the
// request's statements carry marker on PostgreSQL unless the pages count
// their rows, and returns the pages read at once.
func comparePerParentPages(t *testing.T, store *db.Store, h *hub, counter *counter, args, fields, marker string, withInfo bool, after string) []topicPosts {
	t.Helper()
	params, vars := "", map[string]any{}
	if strings.Contains(args, "$after") {
		params, vars["after"] = ", $after: Cursor", after
	}
	selection := `posts(` + args + `) { edges { node { ` + fields + ` } } }`
	if withInfo {
		selection = `posts(` + args + `) { edges { node { ` + fields + ` } } pageInfo { hasNextPage hasPreviousPage } totalCount }`
	}
	query := `{ topics(first: 20) { totalCount edges { node { id ` + selection + ` } } } }` // the topics' total too, counted in their statement beside the folded pages
	if params != "" {
		query = `query(` + strings.TrimPrefix(params, ", ") + `) ` + query
	}
	var many struct {
		Topics struct{ Edges []struct{ Node topicPosts } }
	}
	stmts := countStatements(t, h, counter, false, query, vars, &many)
	marked := slices.ContainsFunc(stmts, func(s string) bool { return strings.Contains(s, marker) })
	// A first page that tells whether more rows follow counts each
	// parent's rows in its own statement, over a window of all of them
	// (a node's page folds with its total: see TestPageStatementCounts);
	// other pages count apart.
	countsInPage := withInfo && !strings.Contains(args, "last") && !strings.Contains(args, "after")
	if want := store.Dialect == dialect.Postgres && !countsInPage; marked != want {
		t.Errorf("%s: a statement with %s %v, want %v:\n%s", selection, marker, marked, want, strings.Join(stmts, "\n"))
	}
	if len(many.Topics.Edges) < 8 {
		t.Fatalf("%s: %d topics, want 8", selection, len(many.Topics.Edges))
	}
	var pages []topicPosts
	for _, e := range many.Topics.Edges {
		var one struct{ Node topicPosts }
		vars["id"] = e.Node.ID
		h.data(t, `query($id: ID!`+params+`) { node(id: $id) { ... on Topic { id `+selection+` } } }`, vars, &one)
		if !samePage(e.Node, one.Node) {
			t.Errorf("%s of topic %s: %v %+v among many, %v %+v alone", selection, e.Node.ID,
				e.Node.ids(), e.Node.Posts, one.Node.ids(), one.Node.Posts)
		}
		pages = append(pages, e.Node)
	}
	return pages
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
