package apitest

import (
	"testing"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// TestDemoCommunity checks through the API what the demo's community shows
// to each demo account: one forum category of each visibility, read by
// those the visibility names; published news for everyone and the draft
// for the secretariat only; concept projects for their partnerships' staff
// and the secretariat only.
func TestDemoCommunity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		const q = `{ forumCategories(first: 10) { edges { node { visibility topics(first: 10) { totalCount } } } }
			newsItems(first: 50) { totalCount } projects(first: 50) { totalCount } }`
		type answer struct {
			ForumCategories struct {
				Edges []struct {
					Node struct {
						Visibility string
						Topics     struct{ TotalCount int }
					}
				}
			}
			NewsItems, Projects struct{ TotalCount int }
		}
		events := countRows(t, "events.csv", func(r map[string]string) bool { return r["source"] != "" })
		for _, c := range []struct {
			email               string
			visibilities        []string
			news, projectsAtMin int
		}{
			{"", []string{"PUBLIC"}, events, 1},
			{"member.chuhuiv@demo.bridgesoftrust.invalid", []string{"PUBLIC", "MEMBERS"}, events, 1},
			{"secretariat@demo.bridgesoftrust.invalid", []string{"PUBLIC", "MEMBERS", "SECRETARIAT"}, events + 1, 6},
		} {
			var header map[string][]string
			if c.email != "" {
				resp := h.query(t, `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
					map[string]any{"e": c.email, "p": seed.DemoPassword})
				resp.NoErrors(t)
				var login struct{ Login struct{ Token string } }
				resp.Decode(t, &login)
				header = bearer(login.Login.Token)
			}
			resp := gqltest.Post(t, h.endpoint, q, nil, header)
			resp.NoErrors(t)
			var got answer
			resp.Decode(t, &got)
			var vis []string
			for _, e := range got.ForumCategories.Edges {
				vis = append(vis, e.Node.Visibility)
				if e.Node.Topics.TotalCount == 0 {
					t.Errorf("%s: category %s has no topics", c.email, e.Node.Visibility)
				}
			}
			if !sameSet(vis, c.visibilities) {
				t.Errorf("%q sees categories %v, want %v", c.email, vis, c.visibilities)
			}
			if got.NewsItems.TotalCount != c.news || got.Projects.TotalCount < c.projectsAtMin {
				t.Errorf("%q sees %d news items (want %d) and %d projects (want at least %d)", c.email,
					got.NewsItems.TotalCount, c.news, got.Projects.TotalCount, c.projectsAtMin)
			}
		}
	})
}

// sameSet reports whether a and b hold the same strings.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		if seen[s]--; seen[s] < 0 {
			return false
		}
	}
	return true
}
