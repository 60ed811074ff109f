package apitest

import (
	"slices"
	"testing"

	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestSearch checks on both stores, through the API, that search ignores
// case and diacritics, matches Ukrainian names across Cyrillic and the
// 2010 Latin transliteration both ways, ranks and highlights, and refuses
// bad input.
func TestSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		ua := store.Client.Country.Query().Where(country.CodeEQ("UA")).OnlyX(sys())
		store.Client.Municipality.Create().SetName("Харків").SetLocalName("Харків").SetCountryID(ua.ID).SaveX(sys())
		for query, want := range map[string]string{
			"Kuldiga": "Kuldīga", "KULDĪGA": "Kuldīga", "Kharkiv": "Харків", "Чугуїв": "Chuhuiv", "chuhuiv": "Chuhuiv",
		} {
			if got := searchNames(t, h, query); !slices.Contains(got, want) {
				t.Errorf("search %q = %v, want %q among them", query, got, want)
			}
		}
		t.Run("secretariat post", func(t *testing.T) { testSecretariatPostSearch(t, store, h) })
		for bad, want := range map[string]string{`search(query: " ")`: "BAD_USER_INPUT", `search(query: "a", first: 1000)`: "PAGE_SIZE_EXCEEDED"} {
			if code := h.query(t, `{ `+bad+` { edges { rank } } }`, nil).Code(); code != want {
				t.Errorf("%s: code %q, want %s", bad, code, want)
			}
		}
	})
}

// searchNames returns the names of the municipalities search finds, best
// first, checking that each has a rank and a highlight.
func searchNames(t *testing.T, h *hub, query string) []string {
	t.Helper()
	var got struct {
		Search struct {
			Edges []struct {
				Rank       float64
				Highlights []string
				Node       struct{ Name string }
			}
		}
	}
	h.data(t, `query($q: String!) { search(query: $q, types: [MUNICIPALITY]) {
		edges { rank highlights node { ... on Municipality { id name } } } } }`, map[string]any{"q": query}, &got)
	var names []string
	for _, e := range got.Search.Edges {
		if e.Rank <= 0 || len(e.Highlights) == 0 {
			t.Errorf("search %q: %q has rank %v, highlights %v", query, e.Node.Name, e.Rank, e.Highlights)
		}
		names = append(names, e.Node.Name)
	}
	return names
}

// testSecretariatPostSearch checks that a post in a SECRETARIAT category
// is found by the secretariat only, across spellings.
func testSecretariatPostSearch(t *testing.T, store *db.Store, h *hub) {
	c := store.Client
	cat := c.ForumCategory.Create().SetName("Secretariat room").SetSlug("secretariat-room").
		SetVisibility(forumcategory.VisibilitySECRETARIAT).SaveX(sys())
	topic := c.Topic.Create().SetTitle("Internal").SetCategoryID(cat.ID).SaveX(sys())
	c.Post.Create().SetTopicID(topic.ID).SetBody("Budget review for Згурівка hromada").SaveX(sys())
	const q = `{ search(query: "Zghurivka", types: [FORUM_POST]) { edges { highlights node { ... on Post { id } } } } }`
	count := func(resp interface{ Decode(testing.TB, any) }) int {
		var got struct {
			Search struct {
				Edges []struct{ Highlights []string }
			}
		}
		resp.Decode(t, &got)
		return len(got.Search.Edges)
	}
	anon, secr := h.query(t, q, nil), h.mutate(t, q, nil)
	anon.NoErrors(t)
	secr.NoErrors(t)
	if a, s := count(anon), count(secr); a != 0 || s != 1 {
		t.Errorf("anonymous found %d, secretariat %d; want 0 and 1", a, s)
	}
}
