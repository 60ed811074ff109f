package apitest

import (
	"slices"
	"testing"

	"github.com/bridgesoftrust/hub/internal/collation"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestUnicodeSearchAndOrder checks on both stores, through the API, that
// the *EqualFold and *ContainsFold filters ignore case and diacritics in
// any script, that LIKE's wildcards in a value stay literal, and that
// names sort with diacritics beside their base letter, also across pages.
func TestUnicodeSearchAndOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		t.Run("fold filters", func(t *testing.T) { testFoldFilters(t, h) })
		t.Run("order by name", func(t *testing.T) { testCollatedOrder(t, h) })
		t.Run("pages in collation order", func(t *testing.T) { testCollatedPages(t, h) })
	})
}

// namesWhere returns the names of the municipalities the where input
// selects, in name order.
func namesWhere(t *testing.T, h *hub, where map[string]any) []string {
	t.Helper()
	var got struct {
		Municipalities struct {
			Edges []struct{ Node struct{ Name string } }
		}
	}
	h.data(t, `query($w: MunicipalityWhereInput) { municipalities(first: 100, where: $w, orderBy: {field: NAME}) {
		edges { node { name } } } }`, map[string]any{"w": where}, &got)
	var names []string
	for _, e := range got.Municipalities.Edges {
		names = append(names, e.Node.Name)
	}
	return names
}

func testFoldFilters(t *testing.T, h *hub) {
	for _, c := range []struct {
		field, value string
		want         []string
	}{
		{"nameContainsFold", "ŠIAULIAI", []string{"Šiauliai district"}},
		{"nameContainsFold", "siauliai", []string{"Šiauliai district"}},
		{"nameContainsFold", "Kuldiga", []string{"Kuldīga"}},
		{"nameContainsFold", "KULDĪGA", []string{"Kuldīga"}},
		{"nameEqualFold", "kuldiga", []string{"Kuldīga"}},
		{"nameEqualFold", "ČESKÁ TŘEBOVÁ", []string{"Česká Třebová"}},
		{"nameEqualFold", "ceska trebova", []string{"Česká Třebová"}},
		{"nameEqualFold", "ceska", nil},
		{"nameContainsFold", "zdroj", []string{"Polanica-Zdrój"}},
		{"localNameContainsFold", "ЧУГУЇВ", []string{"Chuhuiv"}},
		{"localNameContainsFold", "чугуїв", []string{"Chuhuiv"}},
		{"localNameEqualFold", "ЧУГУЇВ", []string{"Chuhuiv"}},
		{"nameContainsFold", "%", nil},
		{"nameContainsFold", "_", nil},
		{"nameEqualFold", "kuldig_", nil},
	} {
		if got := namesWhere(t, h, map[string]any{c.field: c.value}); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q found %q, want %q", c.field, c.value, got, c.want)
		}
	}
	// The same filters inside an edge filter and a nested connection.
	var got struct {
		Partnerships struct{ TotalCount int }
		Countries    struct {
			Edges []struct {
				Node struct {
					Municipalities struct {
						Edges []struct{ Node struct{ Name string } }
					}
				}
			}
		}
	}
	h.data(t, `{ partnerships(first: 1, where: {hasEuropeanMunicipalityWith: [{nameContainsFold: "SIAULIAI"}]}) { totalCount }
		countries(first: 1, where: {code: "LV"}) { edges { node { municipalities(first: 5, where: {nameEqualFold: "KULDIGA"}) { edges { node { name } } } } } } }`, nil, &got)
	if got.Partnerships.TotalCount != 1 {
		t.Errorf("partnerships with an EU municipality like SIAULIAI: %d, want 1", got.Partnerships.TotalCount)
	}
	if len(got.Countries.Edges) != 1 || len(got.Countries.Edges[0].Node.Municipalities.Edges) != 1 ||
		got.Countries.Edges[0].Node.Municipalities.Edges[0].Node.Name != "Kuldīga" {
		t.Errorf("Latvia's municipalities equal to KULDIGA: %+v", got.Countries)
	}
}

// allNames returns the names of every municipality in the order the API
// sorts them by name.
func allNames(t *testing.T, h *hub, dir string) []string {
	t.Helper()
	var got struct {
		Municipalities struct {
			Edges []struct{ Node struct{ Name string } }
		}
	}
	h.data(t, `query($dir: OrderDirection!) { municipalities(first: 100, orderBy: {field: NAME, direction: $dir}) { edges { node { name } } } }`,
		map[string]any{"dir": dir}, &got)
	var names []string
	for _, e := range got.Municipalities.Edges {
		names = append(names, e.Node.Name)
	}
	return names
}

func testCollatedOrder(t *testing.T, h *hub) {
	names := allNames(t, h, "ASC")
	if want := collated(names); !slices.Equal(names, want) {
		t.Fatalf("names in the order\n%q\nwant\n%q", names, want)
	}
	before := func(a, b string) {
		i, j := slices.Index(names, a), slices.Index(names, b)
		if i < 0 || j < 0 || i > j {
			t.Errorf("%q at %d, %q at %d: want the first before the second", a, i, b, j)
		}
	}
	before("Šiauliai district", "Ukmergė")
	before("Šiauliai district", "Soria")
	before("Pápa", "Polanica-Zdrój")
	before("Česká Třebová", "Druskininkai")
	before("Bácsalmás", "Budakeszi")
	desc := allNames(t, h, "DESC")
	slices.Reverse(desc)
	if !slices.Equal(desc, names) {
		t.Errorf("DESC is not ASC reversed:\n%q\n%q", desc, names)
	}
}

func testCollatedPages(t *testing.T, h *hub) {
	var paged []string
	var after *string
	for range 100 {
		var got struct {
			Municipalities struct {
				Edges    []struct{ Node struct{ Name string } }
				PageInfo pageInfo
			}
		}
		h.data(t, `query($after: Cursor) { municipalities(first: 7, after: $after, orderBy: {field: NAME}) {
			edges { node { name } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}, &got)
		for _, e := range got.Municipalities.Edges {
			paged = append(paged, e.Node.Name)
		}
		if !got.Municipalities.PageInfo.HasNextPage {
			break
		}
		after = got.Municipalities.PageInfo.EndCursor
	}
	if all := allNames(t, h, "ASC"); !slices.Equal(paged, all) {
		t.Errorf("pages of 7 give\n%q\nwant\n%q", paged, all)
	}
	if !slices.IsSortedFunc(paged, collation.Compare) {
		t.Errorf("pages are not in collation order: %q", paged)
	}
}
