package apitest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
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
	// folded is how many fewer statements PostgreSQL sends, whose pages
	// per parent can fold into their parents' statement (ent/fold.go).
	folded int
}

// pageFixture names rows of the seeded store that pages start from.
type pageFixture struct {
	// municipality is a Ukrainian municipality with partnerships.
	municipality int
	// topic is a topic with posts.
	topic int
}

// pageShapes are the portal's page shapes of issue "fewer statements".
var pageShapes = []pageShape{
	{name: "portal map", query: `{ partnerships(first: 100) { totalCount edges { node { id status phase { name }
		ukrainianMunicipality { name country { code name } region { name } }
		europeanMunicipality { name country { code name } } } } } }`,
		// the page with its total, the phases, both sides' municipalities
		// and their countries and regions, all joined
		anonymous: 1, signedIn: 4},
	{name: "a municipality's page", query: `query($id: ID!) { node(id: $id) { ... on Municipality { name kind population
		country { name } region { name }
		uaPartnerships(first: 20) { totalCount edges { node { id status phase { name }
			europeanMunicipality { name country { name } } projects(first: 5) { totalCount edges { node { title status } } } } } }
		euPartnerships(first: 20) { totalCount edges { node { id status phase { name }
			ukrainianMunicipality { name country { name } } projects(first: 5) { totalCount edges { node { title status } } } } } } } } }`,
		vars: func(f pageFixture) map[string]any { return map[string]any{"id": strconv.Itoa(f.municipality)} },
		// the town with its country and region (joined), both sides'
		// partnerships with their phases and the partner towns with their
		// countries (joined) in one statement, the projects of both sides'
		// partnerships with their totals (in the window that numbers
		// them: counted pages of several parents do not fold)
		anonymous: 3, signedIn: 6},
	{name: "a municipality's page as scripts/bench asks it", query: `query($id: ID!) { node(id: $id) { ... on Municipality {
		id name population country { code name } region { name }
		partnerships(first: 20) { totalCount edges { node { id status startDate phase { name }
			ukrainianMunicipality { id name country { code } } europeanMunicipality { id name country { code } }
			projects(first: 5) { edges { node { id title status budgetEur } } } } } } } } }`,
		vars: func(f pageFixture) map[string]any { return map[string]any{"id": strconv.Itoa(f.municipality)} },
		// the town, its partnerships (either side) with their joins, and
		// their projects, which PostgreSQL reads in the partnerships'
		// statement
		anonymous: 3, signedIn: 6, folded: 1},
	{name: "a deep list", query: `{ municipalities(first: 50, where: {hasUaPartnerships: true}) { edges { node { name
		uaPartnerships(first: 10) { edges { node { id phase { name } projects(first: 5) { edges { node { title } } } } } } } } } }`,
		anonymous: 3, signedIn: 6},
	{name: "a forum page", query: `{ topics(first: 20, orderBy: [{field: LAST_ACTIVITY_AT, direction: DESC}]) { totalCount edges { node {
		title replyCount lastActivityAt author { displayName } category { name }
		posts(first: 3, orderBy: [{field: CREATED_AT, direction: DESC}]) { edges { node { body createdAt author { displayName } } } } } } } }`,
		// the page with its total, the categories and topic authors
		// (joined: for an anonymous reader only the rows the privacy rules
		// let through, none of the users), the posts with their authors
		// (joined), which PostgreSQL reads in the topics' statement
		anonymous: 2, signedIn: 5, folded: 1},
	{name: "a forum page as scripts/bench asks it", query: `{ topics(first: 20, orderBy: [{field: LAST_ACTIVITY_AT, direction: DESC}]) { totalCount edges { node {
		id title replyCount lastActivityAt category { name }
		posts(first: 3, orderBy: [{field: CREATED_AT, direction: DESC}]) { edges { node { id body createdAt } } } } } } }`,
		// the page with its total and categories (joined), the posts,
		// which PostgreSQL reads in the topics' statement
		anonymous: 2, signedIn: 5, folded: 1},
	{name: "a topic's page", query: `query($id: ID!) { node(id: $id) { ... on Topic { id title replyCount category { name }
		posts(first: 20, orderBy: [{field: CREATED_AT, direction: ASC}]) { totalCount edges { node { id body createdAt author { displayName } } } } } } }`,
		vars: func(f pageFixture) map[string]any { return map[string]any{"id": strconv.Itoa(f.topic)} },
		// the topic with its category (joined), its posts with their total
		// and authors (joined), which PostgreSQL reads in the topic's
		// statement
		anonymous: 2, signedIn: 5, folded: 1},
}

// seedPages fills store with the synthetic programme that the page shapes
// read.
func seedPages(t *testing.T, store *db.Store) {
	t.Helper()
	err := seed.Synthetic(sys(), store.Client, seed.SyntheticOptions{
		Municipalities: 200, Partnerships: 600, Projects: 600, Activities: 20, Seed: 1, Logger: quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
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
		seedPages(t, store)
		fillForum(t, store.Client, 30, 5, 7)
		m := store.Client.Municipality.Query().Where(municipality.HasUaPartnerships()).FirstIDX(sys())
		f := pageFixture{municipality: m, topic: store.Client.Topic.Query().Where(topic.HasPosts()).FirstIDX(sys())}
		cs, c := counted(store)
		// The deep list (2,500 projects, cost 10,701) runs under the
		// default limit.
		h := serve(t, cs)
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
				if store.Dialect == dialect.Postgres {
					want -= p.folded
				}
				if len(stmts) != want {
					t.Errorf("%s (signed in %v): %d statements, want %d:\n%s", p.name, signedIn, len(stmts), want, strings.Join(stmts, "\n"))
				}
			}
		}
	})
}

// edgeTotals reads nested totals on first pages (counted in the pages' own
// statements) and on last pages (counted apart), for many parents.
const edgeTotals = `{ municipalities(first: 40, where: {hasUaPartnerships: true}) { edges { node { id
	uaPartnerships(first: 2) { totalCount edges { node { id
		projects(first: 1) { totalCount edges { node { id } } }
		lastProjects: projects(last: 1) { totalCount edges { node { id } } } } } }
	lastPartnerships: uaPartnerships(last: 1) { totalCount edges { node { id } } } } } } }`

// edgeTotalsOfOne reads the same totals for one parent.
const edgeTotalsOfOne = `query($id: ID!) { node(id: $id) { ... on Municipality { id
	uaPartnerships(first: 2) { totalCount edges { node { id projects(first: 1) { totalCount edges { node { id } } } } } } } } }`

// totalsPage is what edgeTotals returns.
type totalsPage struct {
	Municipalities struct{ Edges []struct{ Node totalsTown } }
}

// totalsTown is a municipality with its partnerships' and projects' totals.
type totalsTown struct {
	ID               string
	UaPartnerships   totalsConn[totalsPartnership]
	LastPartnerships totalsConn[struct{ ID string }]
}

// totalsPartnership is a partnership with its projects' totals.
type totalsPartnership struct {
	ID                     string
	Projects, LastProjects totalsConn[struct{ ID string }]
}

// totalsConn is a connection's total and page.
type totalsConn[T any] struct {
	TotalCount int
	Edges      []struct{ Node T }
}

// TestEdgeTotalsMatchTheLists checks that the totals of nested connections
// equal the totals of the root lists filtered to the same parent, for an
// anonymous reader and the secretariat (who also sees projects at the
// concept stage), for many parents and for one, on first pages (whose
// statements carry the totals) and on last pages (counted apart).
func TestEdgeTotalsMatchTheLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		seedPages(t, store)
		h := serve(t, store)
		projectTotals := map[bool]int{}
		for _, signedIn := range []bool{false, true} {
			send := h.query
			if signedIn {
				send = h.mutate
			}
			total := func(query, id string) int {
				var v struct{ List struct{ TotalCount int } }
				resp := send(t, `query($id: ID!) { list: `+query+` { totalCount } }`, map[string]any{"id": id})
				resp.NoErrors(t)
				resp.Decode(t, &v)
				return v.List.TotalCount
			}
			partnerships := func(town string) int {
				return total(`partnerships(where: {hasUkrainianMunicipalityWith: [{id: $id}]})`, town)
			}
			projects := func(p string) int { return total(`projects(where: {hasPartnershipWith: [{id: $id}]})`, p) }

			var page totalsPage
			resp := send(t, edgeTotals, nil)
			resp.NoErrors(t)
			resp.Decode(t, &page)
			beyondPage := 0
			for _, e := range page.Municipalities.Edges {
				town := e.Node
				want := partnerships(town.ID)
				if town.UaPartnerships.TotalCount != want || town.LastPartnerships.TotalCount != want {
					t.Errorf("signed in %v, town %s: totals %d (first page), %d (last page), want %d",
						signedIn, town.ID, town.UaPartnerships.TotalCount, town.LastPartnerships.TotalCount, want)
				}
				if want > len(town.UaPartnerships.Edges) {
					beyondPage++
				}
				for _, p := range town.UaPartnerships.Edges {
					want := projects(p.Node.ID)
					projectTotals[signedIn] += want
					if p.Node.Projects.TotalCount != want || p.Node.LastProjects.TotalCount != want {
						t.Errorf("signed in %v, partnership %s: project totals %d (first page), %d (last page), want %d",
							signedIn, p.Node.ID, p.Node.Projects.TotalCount, p.Node.LastProjects.TotalCount, want)
					}
				}
			}
			if beyondPage == 0 {
				t.Fatal("no town has more partnerships than its page: the totals are not tested beyond the page")
			}

			town := page.Municipalities.Edges[0].Node.ID
			var one struct{ Node totalsTown }
			resp = send(t, edgeTotalsOfOne, map[string]any{"id": town})
			resp.NoErrors(t)
			resp.Decode(t, &one)
			if got, want := one.Node.UaPartnerships.TotalCount, partnerships(town); got != want {
				t.Errorf("signed in %v, node %s: total %d, want %d", signedIn, town, got, want)
			}
			for _, p := range one.Node.UaPartnerships.Edges {
				if got, want := p.Node.Projects.TotalCount, projects(p.Node.ID); got != want {
					t.Errorf("signed in %v, node %s, partnership %s: project total %d, want %d", signedIn, town, p.Node.ID, got, want)
				}
			}
		}
		if projectTotals[false] >= projectTotals[true] {
			t.Errorf("anonymous readers count %d projects, the secretariat %d: want fewer (concepts hidden)",
				projectTotals[false], projectTotals[true])
		}
	})
}

// TestTranslationsReadOnlyWhenAsked checks that names come in the language
// asked for whether lang is written in the query, given by a variable or
// inside a fragment, and that an operation asking for no language reads no
// translations at all (their column is left out of every statement).
func TestTranslationsReadOnlyWhenAsked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		if err := seed.Demo(sys(), store.Client); err != nil {
			t.Fatal(err)
		}
		cs, c := counted(store)
		h := serve(t, cs)
		ukraine := func(query string, vars map[string]any) (name string, stmts []string) {
			t.Helper()
			var v struct {
				Countries struct {
					Edges []struct{ Node struct{ Code, Local string } }
				}
			}
			stmts = countStatements(t, h, c, false, query, vars, &v)
			for _, e := range v.Countries.Edges {
				if e.Node.Code == "UA" {
					return e.Node.Local, stmts
				}
			}
			t.Fatalf("no Ukraine in %s", query)
			return "", nil
		}
		byVariable := `query($l: String) { countries(first: 100) { edges { node { code local: name(lang: $l) } } } }`
		byFragment := `{ countries(first: 100) { edges { node { ...local } } } } fragment local on Country { code local: name(lang: "uk") }`
		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			want        string
		}{
			{"lang by variable", byVariable, map[string]any{"l": "uk"}, "Україна"},
			{"lang in a fragment", byFragment, nil, "Україна"},
			{"null lang by variable", byVariable, map[string]any{"l": nil}, "Ukraine"},
			{"no lang", `{ countries(first: 100) { edges { node { code local: name } } } }`, nil, "Ukraine"},
		} {
			got, stmts := ukraine(tc.query, tc.vars)
			if got != tc.want {
				t.Errorf("%s: Ukraine is %q, want %q", tc.name, got, tc.want)
			}
			reads := strings.Contains(strings.Join(stmts, "\n"), "name_translations")
			if reads != (tc.want != "Ukraine") {
				t.Errorf("%s: statements read translations: %v, want %v:\n%s", tc.name, reads, !reads, strings.Join(stmts, "\n"))
			}
		}
		stmts := countStatements(t, h, c, false, pageShapes[0].query, nil, nil)
		if joined := strings.Join(stmts, "\n"); strings.Contains(joined, "name_translations") {
			t.Errorf("the portal map, which asks for no language, reads translations:\n%s", joined)
		}
	})
}

// TestFieldsResolvedByIDSelectNoColumns checks that asking for the
// hand-written fields that are resolved from a municipality's id (its
// partnerships on either side, its actors) leaves the municipality's
// statement selecting only the columns asked for (schema.ResolvedByID):
// not its profile, which nothing here asks for.
func TestFieldsResolvedByIDSelectNoColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		seedPages(t, store)
		cs, c := counted(store)
		h := serve(t, cs)
		stmts := countStatements(t, h, c, false, `{ municipalities(first: 5) { edges { node { name
			partnerships(first: 1) { totalCount } uaPartnerships(first: 1) { totalCount } euPartnerships(first: 1) { totalCount }
			actors { name } } } } }`, nil, nil)
		var read bool
		for _, s := range stmts {
			if strings.Contains(s, "FROM `municipalities`") || strings.Contains(s, `FROM "municipalities"`) {
				read = true
				if strings.Contains(s, "profile") {
					t.Errorf("the municipalities' statement selects columns nobody asked for:\n%s", s)
				}
			}
		}
		if !read {
			t.Fatalf("no statement reads the municipalities:\n%s", strings.Join(stmts, "\n"))
		}
	})
}

// joinedAuthors is a forum page whose topic and post authors join into the
// statements of the topics and of the posts.
const joinedAuthors = `{ topics(first: 20) { edges { node { title author { displayName }
	posts(first: 5) { edges { node { body author { displayName } } } } } } } }`

// joinedAuthorsPage is what joinedAuthors returns.
type joinedAuthorsPage struct {
	Topics struct {
		Edges []struct {
			Node struct {
				Title  string
				Author *struct{ DisplayName string }
				Posts  struct {
					Edges []struct {
						Node struct {
							Body   string
							Author *struct{ DisplayName string }
						}
					}
				}
			}
		}
	}
}

// TestJoinedNodesShareAcrossRows reads 120 partnerships of one phase by
// their ids (a list long enough for the PostgreSQL driver to send as one
// array), with their phase and their European towns' country joined into
// the statement: every row comes back with its own edges, and the rows
// that join one phase or one country share its node, as Ent's own eager
// loads share a node among its parents.
func TestJoinedNodesShareAcrossRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		p := newPilot(store.Client)
		ua := p.town("Chuhuiv", p.ua)
		var ids []int
		for i := range 120 {
			ids = append(ids, p.partnership(ua, fmt.Sprint("Partner ", i)).SaveX(sys()).ID)
		}
		got := store.Client.Partnership.Query().Where(partnership.IDIn(ids...)).WithPhase().
			WithEuropeanMunicipality(func(q *ent.MunicipalityQuery) { q.WithCountry() }).AllX(sys())
		if len(got) != len(ids) {
			t.Fatalf("%d partnerships, want %d", len(got), len(ids))
		}
		phase, country := got[0].Edges.Phase, got[0].Edges.EuropeanMunicipality.Edges.Country
		towns := map[int]bool{}
		for _, n := range got {
			if n.Edges.Phase == nil || n.Edges.Phase.ID != n.PhaseID || n.Edges.Phase.Name != "pilot" {
				t.Fatalf("partnership %d: phase %+v, want pilot (%d)", n.ID, n.Edges.Phase, n.PhaseID)
			}
			eu := n.Edges.EuropeanMunicipality
			if eu == nil || eu.ID != n.EuropeanMunicipalityID || eu.Edges.Country == nil || eu.Edges.Country.ID != p.pl.ID {
				t.Fatalf("partnership %d: European town %+v, want %d in Poland", n.ID, eu, n.EuropeanMunicipalityID)
			}
			towns[eu.ID] = true
			if n.Edges.Phase != phase || eu.Edges.Country != country {
				t.Errorf("partnership %d: its phase or its partner's country is a node of its own", n.ID)
			}
		}
		if len(towns) != len(ids) {
			t.Errorf("%d distinct European towns, want %d", len(towns), len(ids))
		}
	})
}

// TestJoinedEdgesKeepTheReadRules reads the authors of topics and posts,
// whose loads join into the statements of their pages, anonymously (the
// users' privacy rules show an anonymous reader no user: the joins must
// find none) and as the secretariat (each row's own author).
func TestJoinedEdgesKeepTheReadRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		const topics, posts, authors = 6, 3, 4
		fillForum(t, store.Client, topics, posts, authors)
		h := serve(t, store)
		for _, signedIn := range []bool{false, true} {
			send := h.query
			if signedIn {
				send = h.mutate
			}
			var page joinedAuthorsPage
			resp := send(t, joinedAuthors, nil)
			resp.NoErrors(t)
			resp.Decode(t, &page)
			if len(page.Topics.Edges) != topics {
				t.Fatalf("signed in %v: %d topics, want %d", signedIn, len(page.Topics.Edges), topics)
			}
			// author names who wrote a row (fillForum: topic i by writer
			// i, its post j by writer i+j), or "" when the reader may not see it.
			author := func(n int) string {
				if !signedIn {
					return ""
				}
				return fmt.Sprint("Writer ", n%authors)
			}
			name := func(a *struct{ DisplayName string }) string {
				if a == nil {
					return ""
				}
				return a.DisplayName
			}
			for _, e := range page.Topics.Edges {
				var i int
				if _, err := fmt.Sscanf(e.Node.Title, "Topic %d", &i); err != nil {
					t.Fatal(err)
				}
				if got := name(e.Node.Author); got != author(i) {
					t.Errorf("signed in %v, %s: author %q, want %q", signedIn, e.Node.Title, got, author(i))
				}
				if len(e.Node.Posts.Edges) != posts {
					t.Errorf("signed in %v, %s: %d posts, want %d", signedIn, e.Node.Title, len(e.Node.Posts.Edges), posts)
				}
				for _, p := range e.Node.Posts.Edges {
					var j int
					if _, err := fmt.Sscanf(p.Node.Body, "post %d", &j); err != nil {
						t.Fatal(err)
					}
					if got := name(p.Node.Author); got != author(i+j) {
						t.Errorf("signed in %v, %s, %s: author %q, want %q", signedIn, e.Node.Title, p.Node.Body, got, author(i+j))
					}
				}
			}
		}
	})
}
