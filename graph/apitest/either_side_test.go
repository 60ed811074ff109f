package apitest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
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

// rootWhere returns the root list's filter: either side of the
// municipality $id, and the case's filter.
func (c eitherSideCase) rootWhere() string {
	sides := `{or: [{hasUkrainianMunicipalityWith: [{id: $id}]}, {hasEuropeanMunicipalityWith: [{id: $id}]}]}`
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

// pageFields selects what eitherSidePage decodes.
const pageFields = `{ totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } }`

// TestMunicipalityPartnershipsMatchTheRootList checks that the pages of
// Municipality.partnerships, read for a whole list of municipalities (both
// kinds) in one statement, equal the root list filtered to either side of
// each municipality, under several page arguments, for an anonymous
// reader and for the secretariat; and that a page after a cursor does too.
func TestMunicipalityPartnershipsMatchTheRootList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		seedPages(t, store)
		h := serve(t, store)
		for _, signedIn := range []bool{false, true} {
			send := h.query
			if signedIn {
				send = h.mutate
			}
			rootPage := func(c eitherSideCase, id string) eitherSidePage {
				var v struct{ Partnerships eitherSidePage }
				resp := send(t, `query($id: ID!) { partnerships(`+c.page+`, where: `+c.rootWhere()+`) `+pageFields+` }`, map[string]any{"id": id})
				resp.NoErrors(t)
				resp.Decode(t, &v)
				return v.Partnerships
			}
			for _, c := range eitherSideCases {
				var list struct {
					Municipalities struct {
						Edges []struct {
							Node struct {
								ID           string
								Partnerships eitherSidePage
							}
						}
					}
				}
				resp := send(t, `{ municipalities(first: 80) { edges { node { id partnerships(`+c.args()+`) `+pageFields+` } } } }`, nil)
				resp.NoErrors(t)
				resp.Decode(t, &list)
				withPartnerships := 0
				for _, e := range list.Municipalities.Edges {
					got, want := e.Node.Partnerships, rootPage(c, e.Node.ID)
					if got.TotalCount > 0 {
						withPartnerships++
					}
					if got.TotalCount != want.TotalCount || !slices.Equal(got.ids(), want.ids()) || got.PageInfo != want.PageInfo {
						t.Errorf("signed in %v, %s, municipality %s: got %+v, want %+v", signedIn, c.args(), e.Node.ID, got, want)
					}
				}
				if withPartnerships < 20 {
					t.Fatalf("%s: only %d of %d municipalities have partnerships", c.args(), withPartnerships, len(list.Municipalities.Edges))
				}
			}
			checkPageAfterCursor(t, send, rootPage)
		}
	})
}

// checkPageAfterCursor compares the second page of a municipality's
// partnerships, read through node(id:) after the first page's cursor,
// with the root list's.
func checkPageAfterCursor(t *testing.T, send func(testing.TB, string, map[string]any) *gqltest.Response,
	rootPage func(c eitherSideCase, id string) eitherSidePage,
) {
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
	first := rootPage(eitherSideCase{page: "first: 1"}, id)
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
	want := rootPage(eitherSideCase{page: fmt.Sprintf("first: 2, after: %q", first.PageInfo.EndCursor)}, id)
	if got := v.Node.Partnerships; got.TotalCount != want.TotalCount || !slices.Equal(got.ids(), want.ids()) || got.PageInfo != want.PageInfo {
		t.Errorf("after a cursor: got %+v, want %+v", got, want)
	}
}
