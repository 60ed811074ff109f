package apitest

import (
	"slices"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// cursorPage is a page of a connection with its edges' cursors, if asked.
type cursorPage struct {
	PageInfo pageInfo
	Edges    []struct {
		Cursor *string
		Node   struct{ ID string }
	}
}

// TestEdgeCursorsOnlyWhereSelected checks the pages whose edges get their
// cursors only when the operation selects them (ent/cursors.go): a root
// list and a list nested in a page of countries, read with and without
// the edges' cursors, have the same rows and the same start and end
// cursors; selected, every edge has its own cursor, and the rows after a
// middle edge's are the rest of the page.
func TestEdgeCursorsOnlyWhereSelected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		const rootQuery = `query($after: Cursor) { municipalities(first: 6, after: $after, orderBy: [{field: NAME, direction: ASC}]) {
			pageInfo { startCursor endCursor } edges { %s node { id } } } }`
		root := func(cursors bool, after *string) cursorPage {
			var v struct{ Municipalities cursorPage }
			h.data(t, withCursors(rootQuery, cursors), map[string]any{"after": after}, &v)
			return v.Municipalities
		}
		full := checkCursors(t, "municipalities", root(true, nil), root(false, nil))
		rest := root(false, full.Edges[2].Cursor)
		if got, want := nodeIDsOf(rest)[:3], nodeIDsOf(full)[3:]; !slices.Equal(got, want) {
			t.Errorf("after the third edge's cursor: %v, want %v", got, want)
		}
		// Asked under aliases, in a fragment: the same cursors.
		var aliased struct {
			Municipalities struct {
				E []struct{ C string }
			}
		}
		h.data(t, `{ municipalities(first: 6, orderBy: [{field: NAME, direction: ASC}]) { ...edgeCursors } }
			fragment edgeCursors on MunicipalityConnection { e: edges { c: cursor } }`, nil, &aliased)
		if len(aliased.Municipalities.E) != len(full.Edges) {
			t.Fatalf("aliased edges in a fragment: %d, want %d", len(aliased.Municipalities.E), len(full.Edges))
		}
		for i, e := range aliased.Municipalities.E {
			if e.C != deref(full.Edges[i].Cursor) {
				t.Errorf("aliased edge %d in a fragment has cursor %q, want the edge's own", i, e.C)
			}
		}

		const nestedQuery = `{ countries(first: 3, where: {hasMunicipalities: true}, orderBy: [{field: CODE, direction: ASC}]) { edges { node {
			municipalities(first: 5) { pageInfo { startCursor endCursor } edges { %s node { id } } } } } } }`
		checkInnerCursors(t, h, nestedQuery, "countries", "municipalities", "a country's municipalities")
	})
}

// TestEitherSideCursorsOnlyWhereSelected checks the same of a page of
// towns' partnerships on either side, which are paged apart from other
// connections (ent/eitherside.go), for several towns at once.
func TestEitherSideCursorsOnlyWhereSelected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		seedPages(t, store)
		h := serve(t, store)

		const sidesQuery = `{ municipalities(first: 20, where: {hasUaPartnerships: true}, orderBy: [{field: NAME, direction: ASC}]) { edges { node {
			partnerships(first: 4) { pageInfo { startCursor endCursor } edges { %s node { id } } } } } } }`
		checkInnerCursors(t, h, sidesQuery, "municipalities", "partnerships", "a town's partnerships")
	})
}

// checkInnerCursors reads query (a connection outer whose nodes each have
// a connection inner, with %s where the edges' cursor goes) with and
// without the edges' cursors and checks the inner pages as checkCursors
// does; at least one of them must have more than two edges.
func checkInnerCursors(t *testing.T, h *hub, query, outer, inner, name string) {
	t.Helper()
	pages := func(cursors bool) []cursorPage {
		var v map[string]struct {
			Edges []struct{ Node map[string]cursorPage }
		}
		h.data(t, withCursors(query, cursors), nil, &v)
		var pages []cursorPage
		for _, e := range v[outer].Edges {
			pages = append(pages, e.Node[inner])
		}
		return pages
	}
	withAll, without := pages(true), pages(false)
	if len(withAll) == 0 || len(withAll) != len(without) {
		t.Fatalf("%s: %d and %d pages, want the same, at least one", name, len(withAll), len(without))
	}
	several := 0
	for i := range withAll {
		if checkCursors(t, name, withAll[i], without[i]); len(withAll[i].Edges) > 2 {
			several++
		}
	}
	if several == 0 {
		t.Errorf("%s: no page has more than two edges, the middle edges' cursors are not checked", name)
	}
}

// withCursors fills the %s of query with the edges' cursor, or nothing.
func withCursors(query string, cursors bool) string {
	field := ""
	if cursors {
		field = "cursor"
	}
	return strings.Replace(query, "%s", field, 1)
}

// checkCursors compares a page read with its edges' cursors (full) and
// without (lean) and returns full.
func checkCursors(t *testing.T, name string, full, lean cursorPage) cursorPage {
	t.Helper()
	if len(full.Edges) == 0 {
		t.Fatalf("%s: no edge", name)
	}
	if !slices.Equal(nodeIDsOf(full), nodeIDsOf(lean)) {
		t.Errorf("%s: rows %v with cursors, %v without", name, nodeIDsOf(full), nodeIDsOf(lean))
	}
	seen := map[string]bool{}
	for i, e := range full.Edges {
		if e.Cursor == nil || *e.Cursor == "" || seen[*e.Cursor] {
			t.Fatalf("%s: edge %d has no cursor of its own (%q)", name, i, deref(e.Cursor))
		}
		seen[*e.Cursor] = true
	}
	first, last := full.Edges[0].Cursor, full.Edges[len(full.Edges)-1].Cursor
	for _, p := range []cursorPage{full, lean} {
		if p.PageInfo.StartCursor == nil || p.PageInfo.EndCursor == nil ||
			*p.PageInfo.StartCursor != *first || *p.PageInfo.EndCursor != *last {
			t.Errorf("%s: page cursors %q..%q, want the first and last edge's", name, deref(p.PageInfo.StartCursor), deref(p.PageInfo.EndCursor))
		}
	}
	return full
}

// nodeIDsOf returns the ids of a page's nodes.
func nodeIDsOf(p cursorPage) []string {
	ids := make([]string, len(p.Edges))
	for i, e := range p.Edges {
		ids[i] = e.Node.ID
	}
	return ids
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestConnectionFieldsUnderAliases checks that a connection's fields
// answer under aliases as under their names: the edges, the total, and
// one field asked twice under two aliases with different selections,
// each of which gets its columns.
func TestConnectionFieldsUnderAliases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		const args = `first: 5, orderBy: [{field: NAME, direction: ASC}]`
		var plain struct {
			Municipalities struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID, Name string } }
			}
		}
		h.data(t, `{ municipalities(`+args+`) { totalCount edges { node { id name } } } }`, nil, &plain)
		var aliased struct {
			Municipalities struct {
				Total int
				Ids   []struct{ Node struct{ ID string } }
				Names []struct{ Node struct{ Name string } }
			}
		}
		h.data(t, `{ municipalities(`+args+`) { total: totalCount ids: edges { node { id } } names: edges { node { name } } } }`, nil, &aliased)
		got := aliased.Municipalities
		if len(plain.Municipalities.Edges) != 5 || plain.Municipalities.TotalCount < 5 {
			t.Fatalf("the plain page has %d edges of %d, want 5 of 5 or more", len(plain.Municipalities.Edges), plain.Municipalities.TotalCount)
		}
		if got.Total != plain.Municipalities.TotalCount || len(got.Ids) != 5 || len(got.Names) != 5 {
			t.Fatalf("under aliases: total %d, %d ids, %d names; want %d, 5, 5", got.Total, len(got.Ids), len(got.Names), plain.Municipalities.TotalCount)
		}
		for i, e := range plain.Municipalities.Edges {
			if got.Ids[i].Node.ID != e.Node.ID || got.Names[i].Node.Name != e.Node.Name {
				t.Errorf("edge %d under aliases: %s %q, want %s %q", i, got.Ids[i].Node.ID, got.Names[i].Node.Name, e.Node.ID, e.Node.Name)
			}
		}
	})
}
