package apitest

import (
	"slices"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/i18n"
)

// searchQuery asks for the kind, id and name or title of each hit.
const searchQuery = `query($q: String!, $types: [SearchType!], $first: Int, $after: Cursor) {
	search(query: $q, types: $types, first: $first, after: $after) {
		edges { cursor highlight rank node {
			__typename
			... on Municipality { id name }
			... on Association { id name }
			... on Partnership { id }
			... on Project { id title }
			... on Activity { id title }
			... on NewsItem { id title }
			... on Topic { id title }
			... on Post { id body }
		} }
		pageInfo { hasNextPage endCursor }
	} }`

// searchPage is the decoded answer of searchQuery.
type searchPage struct {
	Search struct {
		Edges []struct {
			Cursor    string
			Highlight string
			Rank      float64
			Node      struct {
				Typename string `json:"__typename"`
				ID       string
				Name     string
				Title    string
				Body     string
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// labels returns "Type:name" of each hit.
func (p searchPage) labels() []string {
	var out []string
	for _, e := range p.Search.Edges {
		out = append(out, e.Node.Typename+":"+e.Node.Name+e.Node.Title+e.Node.Body)
	}
	return out
}

// searchAs runs searchQuery with the header (nil: anonymously).
func searchAs(t *testing.T, h *hub, header map[string][]string, vars map[string]any) searchPage {
	t.Helper()
	resp := gqltest.Post(t, h.endpoint, searchQuery, vars, header)
	resp.NoErrors(t)
	var p searchPage
	resp.Decode(t, &p)
	return p
}

// TestSearch checks search through the real server on both stores: the
// spelling pairs, privacy of a secretariat forum post, the type filter,
// pagination, updates seen at once and rolled-back writes left out.
func TestSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		ctx := sys()
		ua := store.Client.Country.Query().Where(country.Code("UA")).OnlyX(ctx)
		kharkiv := store.Client.Municipality.Create().SetName("Kharkiv city").SetLocalName("Харків").
			SetCountry(ua).SetKind("CITY").SetNameTranslations(i18n.Texts{"uk": "Харків"}).SaveX(ctx)

		for _, c := range []struct{ query, want string }{
			{"Kuldiga", "Municipality:Kuldīga"},
			{"KULDĪGA", "Municipality:Kuldīga"},
			{"Kharkiv", "Municipality:Kharkiv city"},
			{"Харків", "Municipality:Kharkiv city"},
			{"Чугуїв", "Municipality:Chuhuiv"},
			{"chuhuiv", "Municipality:Chuhuiv"},
		} {
			p := searchAs(t, h, nil, map[string]any{"q": c.query, "types": []string{"MUNICIPALITY"}})
			if !slices.Contains(p.labels(), c.want) {
				t.Errorf("search %q: got %v, want %s among them", c.query, p.labels(), c.want)
			}
			if len(p.Search.Edges) > 0 && p.Search.Edges[0].Highlight == "" {
				t.Errorf("search %q: no highlight", c.query)
			}
		}

		t.Run("type filter", func(t *testing.T) {
			all := searchAs(t, h, nil, map[string]any{"q": "Chuhuiv"})
			kinds := map[string]bool{}
			for _, e := range all.Search.Edges {
				kinds[e.Node.Typename] = true
			}
			if !kinds["Municipality"] || !kinds["Partnership"] {
				t.Errorf("search Chuhuiv in all types: got %v, want municipalities and partnerships", all.labels())
			}
			only := searchAs(t, h, nil, map[string]any{"q": "Chuhuiv", "types": []string{"PARTNERSHIP"}})
			for _, e := range only.Search.Edges {
				if e.Node.Typename != "Partnership" {
					t.Errorf("PARTNERSHIP filter returned %s", e.Node.Typename)
				}
			}
			if len(only.Search.Edges) == 0 {
				t.Error("PARTNERSHIP filter returned nothing")
			}
		})

		t.Run("pagination", func(t *testing.T) {
			all := searchAs(t, h, nil, map[string]any{"q": "a", "first": 100})
			var paged []string
			var after any
			for range 100 {
				p := searchAs(t, h, nil, map[string]any{"q": "a", "first": 7, "after": after})
				paged = append(paged, p.labels()...)
				if !p.Search.PageInfo.HasNextPage {
					break
				}
				after = *p.Search.PageInfo.EndCursor
			}
			if len(all.Search.Edges) < 20 || !slices.Equal(paged, all.labels()[:min(len(paged), len(all.labels()))]) {
				t.Errorf("pages of 7 give %d hits %v,\nwant the first of %v", len(paged), paged, all.labels())
			}
		})

		t.Run("secretariat post", func(t *testing.T) {
			cat := store.Client.ForumCategory.Create().SetName("Board").SetSlug("board-search").
				SetVisibility(forumcategory.VisibilitySECRETARIAT).SaveX(ctx)
			topic := store.Client.Topic.Create().SetTitle("Zwieback budget").SetCategory(cat).SaveX(ctx)
			store.Client.Post.Create().SetTopic(topic).SetBody("The quokkaplan is confidential").SaveX(ctx)
			vars := map[string]any{"q": "quokkaplan"}
			if got := searchAs(t, h, nil, vars).labels(); len(got) != 0 {
				t.Errorf("anonymous search found %v", got)
			}
			if got := searchAs(t, h, h.admin, vars).labels(); !slices.Equal(got, []string{"Post:The quokkaplan is confidential"}) {
				t.Errorf("secretariat search found %v", got)
			}
		})

		t.Run("update seen at once", func(t *testing.T) {
			h.mutate(t, `mutation($id: ID!) { updateMunicipality(id: $id, input: {name: "Slobozhanska Capital"}) { id } }`,
				map[string]any{"id": strconv.Itoa(kharkiv.ID)}).NoErrors(t)
			if got := searchAs(t, h, nil, map[string]any{"q": "slobozhanska"}).labels(); !slices.Equal(got, []string{"Municipality:Slobozhanska Capital"}) {
				t.Errorf("after renaming: %v", got)
			}
			h.mutate(t, `mutation($id: ID!) { updateMunicipality(id: $id, input: {name: "Čhuhuiv Renamed"}) { id } }`,
				map[string]any{"id": strconv.Itoa(chuhuiv(t, h))}).NoErrors(t)
			p := searchAs(t, h, nil, map[string]any{"q": "chuhuiv renamed", "types": []string{"PARTNERSHIP"}})
			if len(p.Search.Edges) == 0 {
				t.Error("the partnerships of a renamed municipality are not found by its new name")
			}
		})

		t.Run("rolled back", func(t *testing.T) {
			tx, err := store.Client.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			tx.Client().Municipality.Create().SetName("Zzyzxtown").SetCountry(ua).SaveX(ctx)
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if got := searchAs(t, h, nil, map[string]any{"q": "zzyzxtown"}).labels(); len(got) != 0 {
				t.Errorf("rolled-back municipality found: %v", got)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			if code := h.query(t, searchQuery, map[string]any{"q": "  "}).Code(); code != "BAD_USER_INPUT" {
				t.Errorf("blank query: code %q, want BAD_USER_INPUT", code)
			}
		})
	})
}

// chuhuiv returns the id of the demo municipality Chuhuiv.
func chuhuiv(t *testing.T, h *hub) int {
	t.Helper()
	m := h.store.Client.Municipality.Query().Where(municipality.Name("Chuhuiv")).OnlyX(sys())
	return m.ID
}
