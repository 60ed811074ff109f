package apitest

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// TestHealthAndDormantFollowPrivacy gives partnerships formed eight months
// ago last month's records that only some viewers read (a post in a
// SECRETARIAT category, a hidden post, a withdrawn news item, a concept
// project) and checks, for an anonymous viewer, a facilitator (staff of
// the association that facilitates most of them) and the secretariat,
// that each partnership's health.lastActivityAt is the latest date of the
// lists of activities, projects, news items and posts that name it, and
// that dormantPartnerships lists exactly the partnerships of the viewer's
// scope whose last activity is older than six months; the programme
// figures count the active partnerships and, of them, those whose last
// activity as the viewer sees it is that old.
func TestHealthAndDormantFollowPrivacy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		c := store.Client
		h := serve(t, store)
		programme := newPilot(c)
		assoc := c.Association.Create().SetName("Association of Ukrainian Cities").SetAcronym("AUC").SaveX(sys())
		facilitator := authtest.Staff(t, store, "MEMBER", func(m *ent.MembershipCreate) { m.SetAssociationID(assoc.ID) })
		formed, lastMonth := time.Now().AddDate(0, -8, 0), time.Now().AddDate(0, -1, 0)
		ids := map[string]int{}
		for i, name := range []string{"quiet", "secretariatPost", "withdrawnNews", "publicTopic", "hiddenPost", "unfacilitated", "conceptProject", "oldMission"} {
			n := strconv.Itoa(i)
			p := programme.partnership(programme.town("UA "+n, programme.ua), "PL "+n).SetCreatedAt(formed)
			if name != "unfacilitated" {
				p.AddFacilitatorIDs(assoc.ID)
			}
			ids[name] = p.SaveX(sys()).ID
		}
		category := func(vis string) *ent.ForumCategory {
			return c.ForumCategory.Create().SetName(vis).SetSlug("c-" + string(rune('a'+len(vis)))).
				SetVisibility(forumcategory.Visibility(vis)).SaveX(sys())
		}
		post := func(cat *ent.ForumCategory, about int, hidden bool) {
			tp := c.Topic.Create().SetCategory(cat).SetTitle("about").AddPartnershipIDs(about).SaveX(sys())
			p := c.Post.Create().SetTopic(tp).SetBody("news").SetCreatedAt(lastMonth)
			if hidden {
				p.SetHiddenAt(lastMonth)
			}
			p.SaveX(sys())
		}
		post(category("SECRETARIAT"), ids["secretariatPost"], false)
		post(category("MEMBERS"), ids["hiddenPost"], true)
		c.NewsItem.Create().SetTitle("withdrawn").SetBody("b").SetStatus(newsitem.StatusDRAFT).SetPublishedAt(lastMonth).
			AddPartnershipIDs(ids["withdrawnNews"]).SaveX(sys())
		c.Project.Create().SetTitle("concept").SetPartnershipID(ids["conceptProject"]).SetSector("WATER").
			SetStatus(project.StatusCONCEPT).SaveX(sys())
		old := time.Now().AddDate(0, -7, 0)
		c.Activity.Create().SetTitle("mission").SetKind("EXPERT_MISSION").SetStartDate(old).SetEndDate(old).
			AddPartnershipIDs(ids["oldMission"]).SaveX(sys())
		// The facilitator opens a public topic about a partnership through the API.
		pub := category("PUBLIC")
		h.dataAs(t, `mutation($c: ID!, $p: [ID!]) { createTopic(input: {categoryId: $c, title: "our visit", body: "It went well.", partnershipIds: $p}) { id } }`,
			map[string]any{"c": pub.ID, "p": []int{ids["publicTopic"]}}, facilitator, &struct{}{})

		since := time.Now().AddDate(0, -6, 0)
		names := func(set map[int]bool) []string {
			var out []string
			for name, id := range ids {
				if set[id] {
					out = append(out, name)
				}
			}
			slices.Sort(out)
			return out
		}
		for _, v := range []struct {
			name    string
			header  http.Header
			dormant []string // nil: refused
		}{
			{"anonymous", nil, nil},
			{"facilitator", facilitator, []string{"hiddenPost", "oldMission", "quiet", "secretariatPost", "withdrawnNews"}},
			{"secretariat", h.admin, []string{"oldMission", "quiet", "unfacilitated"}},
		} {
			t.Run(v.name, func(t *testing.T) {
				last := healthOfAll(t, h, v.header)
				fromLists := latestInLists(t, h, v.header)
				quiet := map[int]bool{}
				for id, at := range last {
					want := fromLists[id]
					if (at == nil) != (want == nil) || (at != nil && !at.Truncate(time.Second).Equal(want.Truncate(time.Second))) {
						t.Errorf("partnership %d: lastActivityAt %v, the lists' latest %v", id, at, want)
					}
					if at == nil || at.Before(since) {
						quiet[id] = true
					}
				}
				var f struct {
					F struct{ ActivePartnerships, DormantPartnerships struct{ Live int } }
				}
				h.dataAs(t, `{ f: programmeFigures(phase: "pilot") { activePartnerships { live } dormantPartnerships { live } } }`, nil, v.header, &f)
				if f.F.ActivePartnerships.Live != len(ids) || f.F.DormantPartnerships.Live != len(quiet) {
					t.Errorf("programme figures: %d active, %d dormant; want %d and %d", f.F.ActivePartnerships.Live,
						f.F.DormantPartnerships.Live, len(ids), len(quiet))
				}
				var d struct{ DormantPartnerships partnershipPage }
				resp := gqltest.Post(t, h.endpoint, `{ dormantPartnerships(first: 100) { totalCount edges { node { id } } } }`, nil, v.header)
				if v.dormant == nil {
					if code := resp.Code(); code != "FORBIDDEN" && code != "UNAUTHENTICATED" {
						t.Errorf("dormant partnerships: code %q", code)
					}
					return
				}
				resp.NoErrors(t)
				resp.Decode(t, &d)
				got := map[int]bool{}
				if d.DormantPartnerships.TotalCount != len(d.DormantPartnerships.Edges) {
					t.Errorf("dormant partnerships: totalCount %d for %d on the page", d.DormantPartnerships.TotalCount, len(d.DormantPartnerships.Edges))
				}
				for _, e := range d.DormantPartnerships.Edges {
					id, _ := strconv.Atoi(e.Node.ID)
					got[id] = true
					if !quiet[id] {
						t.Errorf("dormant %d has a last activity since six months ago: %v", id, last[id])
					}
				}
				if g := names(got); !slices.Equal(g, v.dormant) {
					t.Errorf("dormant %v, want %v", g, v.dormant)
				}
			})
		}
	})
}

// healthOfAll returns every partnership's lastActivityAt as the viewer of
// header sees it.
func healthOfAll(t *testing.T, h *hub, header http.Header) map[int]*time.Time {
	t.Helper()
	out := map[int]*time.Time{}
	for _, n := range listAll(t, h, "partnerships", "id health { lastActivityAt }", header) {
		id, _ := strconv.Atoi(n["id"].(string))
		out[id] = timeAt(n, "health", "lastActivityAt")
	}
	return out
}

// latestInLists returns, by partnership, the latest date of the
// activities, projects, news items and forum posts that name it, as the
// viewer of header lists them.
func latestInLists(t *testing.T, h *hub, header http.Header) map[int]*time.Time {
	t.Helper()
	out := map[int]*time.Time{}
	keep := func(ids []*string, at *time.Time) {
		for _, s := range ids {
			if s == nil || at == nil {
				continue
			}
			id, _ := strconv.Atoi(*s)
			if out[id] == nil || at.After(*out[id]) {
				out[id] = at
			}
		}
	}
	for _, n := range listAll(t, h, "activities", "startDate endDate partnerships(first: 50) { edges { node { id } } }", header) {
		keep(n.each("id", "partnerships", "edges"), timeAt(n, "startDate"))
		keep(n.each("id", "partnerships", "edges"), timeAt(n, "endDate"))
	}
	for _, n := range listAll(t, h, "projects", "updatedAt partnership { id }", header) {
		keep(n.str("partnership", "id"), timeAt(n, "updatedAt"))
	}
	for _, n := range listAll(t, h, "newsItems", "publishedAt partnerships(first: 50) { edges { node { id } } }", header) {
		keep(n.each("id", "partnerships", "edges"), timeAt(n, "publishedAt"))
	}
	for _, n := range listAll(t, h, "posts", "createdAt topic { partnerships(first: 50) { edges { node { id } } } }", header) {
		keep(n.each("id", "topic", "partnerships", "edges"), timeAt(n, "createdAt"))
	}
	return out
}

// timeAt returns the time at keys, or nil.
func timeAt(n node, keys ...string) *time.Time {
	s := n.str(keys...)[0]
	if s == nil {
		return nil
	}
	at, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		panic(err)
	}
	return &at
}
