package apitest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// eitherSideCase is a page (its arguments) and a filter (a
// PartnershipWhereInput, or none) under which the test compares
// Municipality.partnerships with the root list.
type eitherSideCase struct{ page, where string }

// args returns the arguments of Municipality.partnerships.
func (c eitherSideCase) args() string {
	if c.where == "" {
		return c.page
	}
	return c.page + ", where: " + c.where
}

// sideFilters are the root list's filters of a municipality $id's
// partnerships, by the Municipality field that pages them.
var sideFilters = map[string]string{
	"partnerships":   `{or: [{hasUkrainianMunicipalityWith: [{id: $id}]}, {hasEuropeanMunicipalityWith: [{id: $id}]}]}`,
	"uaPartnerships": `{hasUkrainianMunicipalityWith: [{id: $id}]}`,
	"euPartnerships": `{hasEuropeanMunicipalityWith: [{id: $id}]}`,
}

// rootWhere returns the root list's filter: the side of the municipality
// $id that field pages, and the case's filter.
func (c eitherSideCase) rootWhere(field string) string {
	sides := sideFilters[field]
	if c.where == "" {
		return sides
	}
	return `{and: [` + sides + `, ` + c.where + `]}`
}

// eitherSideCases are first pages, last pages, other orders and a filter.
var eitherSideCases = []eitherSideCase{
	{page: `first: 3`},
	{page: `last: 2`},
	{page: `first: 4, orderBy: [{field: START_DATE, direction: DESC}]`},
	{page: `first: 2`, where: `{hasPhaseWith: [{name: "community-hub"}]}`},
	{page: `last: 3, orderBy: [{field: STATUS}]`},
}

// eitherSidePage is a page of partnerships as the test compares it.
type eitherSidePage struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage, HasPreviousPage bool
		EndCursor                    string
	}
	Edges []struct{ Node struct{ ID string } }
}

// ids returns the partnerships of the page in its order.
func (p eitherSidePage) ids() []string {
	ids := make([]string, len(p.Edges))
	for i, e := range p.Edges {
		ids[i] = e.Node.ID
	}
	return ids
}

// same reports whether p and want hold the same rows, total and page info.
func (p eitherSidePage) same(want eitherSidePage) bool {
	return p.TotalCount == want.TotalCount && slices.Equal(p.ids(), want.ids()) && p.PageInfo == want.PageInfo
}

// sender sends a GraphQL request as one reader.
type sender func(testing.TB, string, map[string]any) *gqltest.Response

// rootPageFunc returns the page c of the root list filtered to the side of
// municipality id that field pages.
type rootPageFunc func(c eitherSideCase, field, id string) eitherSidePage

// eachPagesReader runs check on both stores with seedPages' data, for an
// anonymous reader and for the secretariat, with the reader's sender and
// root pages. Each page is compared with its own root list: a few thousand
// requests, past a client's default budget.
func eachPagesReader(t *testing.T, check func(t *testing.T, signedIn bool, send sender, rootPage rootPageFunc)) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		seedPages(t, store)
		h := serveWith(t, store, func(c *server.Config) { c.RateLimit.Anonymous, c.RateLimit.User = 1<<30, 1<<30 })
		for _, signedIn := range []bool{false, true} {
			send := h.query
			if signedIn {
				send = h.mutate
			}
			check(t, signedIn, send, rootPages(t, send))
		}
	})
}

// rootPages returns the page of the root list filtered to a municipality's
// side, as send reads it.
func rootPages(t *testing.T, send sender) rootPageFunc {
	return func(c eitherSideCase, field, id string) eitherSidePage {
		var v struct{ Partnerships eitherSidePage }
		resp := send(t, `query($id: ID!) { partnerships(`+c.page+`, where: `+c.rootWhere(field)+`) `+pageFields+` }`, map[string]any{"id": id})
		resp.NoErrors(t)
		resp.Decode(t, &v)
		return v.Partnerships
	}
}

// pageFields selects what eitherSidePage decodes.
const pageFields = `{ totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } }`

// TestMunicipalityPartnershipsMatchTheRootList checks that the pages of
// Municipality.partnerships, uaPartnerships and euPartnerships, read for a
// whole list of municipalities (both kinds) and together in one statement
// when their arguments agree, equal the root list filtered to the same
// side of each municipality, under several page arguments, for an
// anonymous reader and for the secretariat; that a page beside them with
// other arguments does too; and that a page after a cursor does too.
func TestMunicipalityPartnershipsMatchTheRootList(t *testing.T) {
	eachPagesReader(t, func(t *testing.T, signedIn bool, send sender, rootPage rootPageFunc) {
		other := eitherSideCase{page: `first: 1`}
		for _, c := range eitherSideCases {
			var list struct {
				Municipalities struct {
					Edges []struct {
						Node struct {
							ID                                           string
							Partnerships, UaPartnerships, EuPartnerships eitherSidePage
							Other                                        eitherSidePage
						}
					}
				}
			}
			resp := send(t, `{ municipalities(first: 80) { edges { node { id partnerships(`+c.args()+`) `+pageFields+`
					uaPartnerships(`+c.args()+`) `+pageFields+` euPartnerships(`+c.args()+`) `+pageFields+`
					other: euPartnerships(`+other.args()+`) `+pageFields+` } } } }`, nil)
			resp.NoErrors(t)
			resp.Decode(t, &list)
			withPartnerships := 0
			for _, e := range list.Municipalities.Edges {
				n := e.Node
				if n.Partnerships.TotalCount > 0 {
					withPartnerships++
				}
				for _, page := range []struct {
					field, label string
					c            eitherSideCase
					got          eitherSidePage
				}{{"partnerships", "partnerships", c, n.Partnerships}, {"uaPartnerships", "uaPartnerships", c, n.UaPartnerships},
					{"euPartnerships", "euPartnerships", c, n.EuPartnerships}, {"euPartnerships", "other", other, n.Other}} {
					want := rootPage(page.c, page.field, n.ID)
					if got := page.got; !got.same(want) {
						t.Errorf("signed in %v, %s(%s), municipality %s: got %+v, want %+v", signedIn, page.label, page.c.args(), n.ID, got, want)
					}
				}
			}
			if withPartnerships < 20 {
				t.Fatalf("%s: only %d of %d municipalities have partnerships", c.args(), withPartnerships, len(list.Municipalities.Edges))
			}
		}
		checkPageAfterCursor(t, send, rootPage)
	})
}

// checkPageAfterCursor compares the second page of a municipality's
// partnerships, read through node(id:) after the first page's cursor,
// with the root list's.
func checkPageAfterCursor(t *testing.T, send sender, rootPage rootPageFunc) {
	t.Helper()
	var list struct {
		Municipalities struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	resp := send(t, `{ municipalities(first: 1, where: {hasUaPartnerships: true}) { edges { node { id } } } }`, nil)
	resp.NoErrors(t)
	resp.Decode(t, &list)
	id := list.Municipalities.Edges[0].Node.ID
	first := rootPage(eitherSideCase{page: "first: 1"}, "partnerships", id)
	if first.PageInfo.EndCursor == "" || !first.PageInfo.HasNextPage {
		t.Fatalf("municipality %s: first page %+v has no next page", id, first)
	}
	var v struct {
		Node struct{ Partnerships eitherSidePage }
	}
	resp = send(t, `query($id: ID!, $after: Cursor) { node(id: $id) { ... on Municipality { partnerships(first: 2, after: $after) `+pageFields+` } } }`,
		map[string]any{"id": id, "after": first.PageInfo.EndCursor})
	resp.NoErrors(t)
	resp.Decode(t, &v)
	want := rootPage(eitherSideCase{page: fmt.Sprintf("first: 2, after: %q", first.PageInfo.EndCursor)}, "partnerships", id)
	if got := v.Node.Partnerships; !got.same(want) {
		t.Errorf("after a cursor: got %+v, want %+v", got, want)
	}
}

// TestSidesWithOtherSelectionsLoadApart checks that pages of both sides
// whose nodes ask for the same alias with other arguments (the last
// project on the Ukrainian side, the first five on the EU side) each get
// what they asked: they cannot share one query.
func TestSidesWithOtherSelectionsLoadApart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		seedPages(t, store)
		h := serve(t, store)
		type side struct {
			Edges []struct {
				Node struct {
					Projects struct {
						TotalCount int
						Edges      []struct{ Node struct{ ID string } }
					}
				}
			}
		}
		var list struct {
			Municipalities struct {
				Edges []struct {
					Node struct{ UaPartnerships, EuPartnerships side }
				}
			}
		}
		resp := h.mutate(t, `{ municipalities(first: 100) { edges { node {
			uaPartnerships(first: 5) { edges { node { projects(last: 1) { totalCount edges { node { id } } } } } }
			euPartnerships(first: 5) { edges { node { projects(first: 5) { totalCount edges { node { id } } } } } } } } } }`, nil)
		resp.NoErrors(t)
		resp.Decode(t, &list)
		several := map[string]int{}
		for _, e := range list.Municipalities.Edges {
			for name, s := range map[string]side{"ua": e.Node.UaPartnerships, "eu": e.Node.EuPartnerships} {
				asked := map[string]int{"ua": 1, "eu": 5}[name]
				for _, p := range s.Edges {
					if got, want := len(p.Node.Projects.Edges), min(asked, p.Node.Projects.TotalCount); got != want {
						t.Errorf("%s side: %d of %d projects, want %d", name, got, p.Node.Projects.TotalCount, want)
					}
					if p.Node.Projects.TotalCount > 1 {
						several[name]++
					}
				}
			}
		}
		if several["ua"] == 0 || several["eu"] == 0 {
			t.Fatalf("partnerships with several projects by side: %v; the pages are not tested", several)
		}
	})
}

// TestOneMunicipalityPagesMatchTheRootList checks the pages of a single
// municipality (a municipality's page through node(id:), which reads its
// rows as one sequence: see numberAsOne) against the root list filtered to
// the same side, for each field and page case, anonymously and as the
// secretariat; and two fields of different sides on one municipality
// (each numbered per side).
func TestOneMunicipalityPagesMatchTheRootList(t *testing.T) {
	eachPagesReader(t, func(t *testing.T, signedIn bool, send sender, rootPage rootPageFunc) {
		var list struct {
			Municipalities struct {
				Edges []struct {
					Node struct {
						ID           string
						Partnerships struct{ TotalCount int }
					}
				}
			}
		}
		resp := send(t, `{ municipalities(first: 80) { edges { node { id partnerships { totalCount } } } } }`, nil)
		resp.NoErrors(t)
		resp.Decode(t, &list)
		var towns []string
		for _, e := range list.Municipalities.Edges {
			if e.Node.Partnerships.TotalCount >= 3 && len(towns) < 6 {
				towns = append(towns, e.Node.ID)
			}
		}
		if len(towns) < 6 {
			t.Fatalf("only %d municipalities with 3 partnerships or more", len(towns))
		}
		for _, id := range towns {
			for _, c := range eitherSideCases {
				for field := range sideFilters {
					var v struct{ Node map[string]eitherSidePage }
					resp := send(t, `query($id: ID!) { node(id: $id) { ... on Municipality { `+field+`(`+c.args()+`) `+pageFields+` } } }`,
						map[string]any{"id": id})
					resp.NoErrors(t)
					resp.Decode(t, &v)
					want := rootPage(c, field, id)
					if got := v.Node[field]; !got.same(want) {
						t.Errorf("signed in %v, %s(%s) of %s alone: got %+v, want %+v", signedIn, field, c.args(), id, got, want)
					}
				}
				var both struct{ Node map[string]eitherSidePage }
				resp := send(t, `query($id: ID!) { node(id: $id) { ... on Municipality { partnerships(`+c.args()+`) `+pageFields+`
						euPartnerships(`+c.args()+`) `+pageFields+` } } }`, map[string]any{"id": id})
				resp.NoErrors(t)
				resp.Decode(t, &both)
				for _, field := range []string{"partnerships", "euPartnerships"} {
					want := rootPage(c, field, id)
					if got := both.Node[field]; !got.same(want) {
						t.Errorf("signed in %v, %s(%s) of %s beside the other side: got %+v, want %+v", signedIn, field, c.args(), id, got, want)
					}
				}
			}
		}
	})
}

// TestNestedMunicipalityPartnershipsMatchTheRootList checks the pages of
// Municipality.partnerships under a list of lists, the municipalities of
// each region of a page of regions, against the root list filtered to the
// same side of each municipality: the first region's list reads the pages
// of every region's municipalities in one batch (sameListsAbove), where
// each region's list cost a statement of its own.
func TestNestedMunicipalityPartnershipsMatchTheRootList(t *testing.T) {
	eachPagesReader(t, func(t *testing.T, signedIn bool, send sender, rootPage rootPageFunc) {
		var list struct {
			Regions struct {
				Edges []struct {
					Node struct {
						Municipalities struct {
							Edges []struct {
								Node struct {
									ID                      string
									Partnerships, Ukrainian eitherSidePage
								}
							}
						}
					}
				}
			}
		}
		resp := send(t, `{ regions(first: 30) { edges { node { municipalities(first: 4) { edges { node { id
			partnerships(first: 2) `+pageFields+` ukrainian: uaPartnerships(first: 2) `+pageFields+` } } } } } } }`, nil)
		resp.NoErrors(t)
		resp.Decode(t, &list)
		compared := 0
		for _, r := range list.Regions.Edges {
			for _, m := range r.Node.Municipalities.Edges {
				page := eitherSideCase{page: `first: 2`}
				for field, got := range map[string]eitherSidePage{"partnerships": m.Node.Partnerships, "uaPartnerships": m.Node.Ukrainian} {
					if want := rootPage(page, field, m.Node.ID); !got.same(want) {
						t.Errorf("signed in %v: %s of municipality %s in a region's list: %+v, root list %+v", signedIn, field, m.Node.ID, got, want)
					}
				}
				compared += len(m.Node.Partnerships.Edges)
			}
		}
		if compared == 0 {
			t.Fatal("no partnership compared")
		}
	})
}
