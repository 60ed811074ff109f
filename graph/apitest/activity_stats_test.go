package apitest

import (
	"net/http"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// kyiv is a zone east of UTC: a time written in it early on the first of a
// month falls in the previous month in UTC, which the month keys use.
var kyiv = time.FixedZone("EEST", 3*60*60)

// TestForumAndNewsStatsMatchLists writes forum posts over several months
// in a category of each visibility (one hidden by its author) and news
// items published, withdrawn and never published, and compares forumStats
// and newsStats with the posts and newsItems lists for an anonymous
// viewer, a signed-in member (who also reads MEMBERS categories and the
// post they hid) and the secretariat (who reads everything).
func TestForumAndNewsStatsMatchLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		c := store.Client
		h := serve(t, store)
		member := authtest.Header(t, store, user.RoleNONE)
		months := []time.Time{
			time.Date(2025, 11, 14, 9, 0, 0, 0, time.UTC),
			time.Date(2026, 1, 20, 18, 30, 0, 0, time.UTC),
			time.Date(2026, 3, 1, 1, 30, 0, 0, kyiv), // 2026-02 in UTC
		}
		var members int
		for i, vis := range []string{"PUBLIC", "MEMBERS", "SECRETARIAT"} {
			cat := c.ForumCategory.Create().SetName(vis).SetSlug("cat-" + string(rune('a'+i))).
				SetVisibility(forumcategory.Visibility(vis)).SaveX(sys())
			if vis == "MEMBERS" {
				members = cat.ID
			}
			for j := range 2 {
				tp := c.Topic.Create().SetCategory(cat).SetTitle(vis + " topic").SaveX(sys())
				for k, at := range months[j:] {
					c.Post.Create().SetTopic(tp).SetBody("post").SetCreatedAt(at.AddDate(0, 0, k)).SaveX(sys())
				}
			}
		}
		hidePostOfMember(t, h, member, members)

		partnership := pairPartnership(t, h)
		for i, at := range months {
			n := c.NewsItem.Create().SetTitle("published").SetBody("b").SetStatus(newsitem.StatusPUBLISHED).
				SetPublishedAt(at).SetLanguage([]string{"en", "uk", "en"}[i])
			if i > 0 {
				n.AddPartnershipIDs(partnership)
			}
			n.SaveX(sys())
		}
		c.NewsItem.Create().SetTitle("draft").SetBody("b").SaveX(sys())
		c.NewsItem.Create().SetTitle("withdrawn").SetBody("b").SetStatus(newsitem.StatusDRAFT).
			SetPublishedAt(months[0]).AddPartnershipIDs(partnership).SaveX(sys())

		for name, header := range map[string]http.Header{"anonymous": nil, "member": member, "secretariat": h.admin} {
			t.Run(name, func(t *testing.T) {
				forumStatsCase.check(t, h, header)
				newsStatsCase.check(t, h, header)
			})
		}
		// The secretariat counts the SECRETARIAT category's posts, the
		// hidden post and the unpublished items that others do not.
		total := func(field string, header http.Header) int {
			var d struct{ S []group }
			h.dataAs(t, `{ s: `+field+`(groupBy: [MONTH]) { count } }`, nil, header, &d)
			n := 0
			for _, g := range d.S {
				n += g.Count
			}
			return n
		}
		for field, want := range map[string][3]int{"forumStats": {5, 11, 16}, "newsStats": {3, 3, 5}} {
			got := [3]int{total(field, nil), total(field, member), total(field, h.admin)}
			if got != want {
				t.Errorf("%s totals (anonymous, member, secretariat) %v, want %v", field, got, want)
			}
		}
	})
}

// hidePostOfMember opens a topic in the category as the member and hides
// (deletes) its first post, which then only the member and the secretariat
// read.
func hidePostOfMember(t *testing.T, h *hub, member http.Header, category int) {
	t.Helper()
	var d struct {
		CreateTopic struct {
			Posts struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	h.dataAs(t, `mutation($c: ID!) { createTopic(input: {categoryId: $c, title: "mine", body: "soon hidden"}) { posts(first: 1) { edges { node { id } } } } }`,
		map[string]any{"c": category}, member, &d)
	var del struct{ DeletePost string }
	h.dataAs(t, `mutation($id: ID!) { deletePost(id: $id) }`, map[string]any{"id": d.CreateTopic.Posts.Edges[0].Node.ID}, member, &del)
}

// pairPartnership creates a Ukrainian and a Polish town joined by a
// partnership and returns the partnership's id.
func pairPartnership(t *testing.T, h *hub) int {
	t.Helper()
	c := h.store.Client
	ua := c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
	pl := c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys())
	phase := c.Phase.Create().SetName("pilot").SaveX(sys())
	um := c.Municipality.Create().SetName("Chuhuiv").SetCountry(ua).SaveX(sys())
	em := c.Municipality.Create().SetName("Lublin").SetCountry(pl).SaveX(sys())
	return c.Partnership.Create().SetUkrainianMunicipality(um).SetEuropeanMunicipality(em).SetPhase(phase).SaveX(sys()).ID
}
