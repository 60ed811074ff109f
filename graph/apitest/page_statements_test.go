package apitest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// pageShape is a page of a portal whose statement count is pinned: the
// test fails when a change makes it send more statements (or fewer: then
// lower the numbers).
type pageShape struct {
	name, query string
	// vars returns the query's variables for the seeded store.
	vars func(f pageFixture) map[string]any
	// anonymous and signedIn are the statements of one request by an
	// anonymous caller and by the secretariat (whose session, user and
	// memberships cost statements of their own).
	anonymous, signedIn int
}

// pageFixture names rows of the seeded store that pages start from.
type pageFixture struct {
	// municipality is a Ukrainian municipality with partnerships.
	municipality int
}

// pageShapes are the portal's page shapes of issue "fewer statements".
var pageShapes = []pageShape{
	{name: "portal map", query: `{ partnerships(first: 100) { totalCount edges { node { id status phase { name }
		ukrainianMunicipality { name country { code name } region { name } }
		europeanMunicipality { name country { code name } } } } } }`,
		// the page with its total, phases, both sides' municipalities, their
		// countries, their regions
		anonymous: 5, signedIn: 8},
	{name: "a municipality's page", query: `query($id: ID!) { node(id: $id) { ... on Municipality { name kind population
		country { name } region { name }
		uaPartnerships(first: 20) { totalCount edges { node { id status phase { name }
			europeanMunicipality { name country { name } } projects(first: 5) { totalCount edges { node { title status } } } } } }
		euPartnerships(first: 20) { totalCount edges { node { id status phase { name }
			ukrainianMunicipality { name country { name } } projects(first: 5) { totalCount edges { node { title status } } } } } } } } }`,
		vars:      func(f pageFixture) map[string]any { return map[string]any{"id": strconv.Itoa(f.municipality)} },
		anonymous: 12, signedIn: 15},
	{name: "a deep list", query: `{ municipalities(first: 50, where: {hasUaPartnerships: true}) { edges { node { name
		uaPartnerships(first: 10) { edges { node { id phase { name } projects(first: 5) { edges { node { title } } } } } } } } } }`,
		anonymous: 4, signedIn: 7},
	{name: "a forum page", query: `{ topics(first: 20, orderBy: [{field: LAST_ACTIVITY_AT, direction: DESC}]) { totalCount edges { node {
		title replyCount lastActivityAt author { displayName } category { name }
		posts(first: 3, orderBy: [{field: CREATED_AT, direction: DESC}]) { edges { node { body createdAt author { displayName } } } } } } } }`,
		// the page with its total, categories, topic authors, posts, post authors
		anonymous: 5, signedIn: 8},
}

// fillForum adds a public category with topics topics of posts posts each,
// written in turn by authors users.
func fillForum(t *testing.T, c *ent.Client, topics, posts, authors int) {
	t.Helper()
	users := make([]int, authors)
	for i := range users {
		users[i] = c.User.Create().SetEmail(fmt.Sprintf("writer%d@example.org", i)).SetDisplayName(fmt.Sprint("Writer ", i)).
			SaveX(sys()).ID
	}
	cat := c.ForumCategory.Create().SetSlug("water").SetName("Water").SaveX(sys())
	for i := range topics {
		tp := c.Topic.Create().SetCategory(cat).SetTitle(fmt.Sprint("Topic ", i)).SetAuthorID(users[i%authors]).SaveX(sys())
		for j := range posts {
			c.Post.Create().SetTopic(tp).SetAuthorID(users[(i+j)%authors]).SetBody(fmt.Sprint("post ", j)).ExecX(sys())
		}
	}
}

// TestPageStatementCounts pins the number of SQL statements that each page
// shape sends, on both stores, anonymously and as the secretariat.
func TestPageStatementCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		err := seed.Synthetic(sys(), store.Client, seed.SyntheticOptions{
			Municipalities: 200, Partnerships: 600, Projects: 600, Activities: 20, Seed: 1, Logger: quietLogger(),
		})
		if err != nil {
			t.Fatal(err)
		}
		fillForum(t, store.Client, 30, 5, 7)
		m := store.Client.Municipality.Query().Where(municipality.HasUaPartnerships()).FirstIDX(sys())
		f := pageFixture{municipality: m}
		cs, c := counted(store)
		// The deep list (2,500 projects) costs more than the default limit
		// of 10,000 allows.
		h := serveWith(t, cs, func(cfg *server.Config) { cfg.MaxComplexity = 20_000 })
		for _, p := range pageShapes {
			var vars map[string]any
			if p.vars != nil {
				vars = p.vars(f)
			}
			for _, signedIn := range []bool{false, true} {
				stmts := countStatements(t, h, c, signedIn, p.query, vars, nil)
				want := p.anonymous
				if signedIn {
					want = p.signedIn
				}
				if len(stmts) != want {
					t.Errorf("%s (signed in %v): %d statements, want %d:\n%s", p.name, signedIn, len(stmts), want, strings.Join(stmts, "\n"))
				}
			}
		}
	})
}
