package apitest

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestPartnershipHealth builds two partnerships formed eight months ago,
// one quiet since and one with a mission last month and projects, and asks
// for their health and the dormant ones through the real server.
func TestPartnershipHealth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		c := store.Client
		ua := c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
		pl := c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys())
		phase := c.Phase.Create().SetName("pilot").SaveX(sys())
		formed := time.Now().AddDate(0, -8, 0)
		pair := func(u, e string) int {
			um := c.Municipality.Create().SetName(u).SetCountry(ua).SaveX(sys())
			em := c.Municipality.Create().SetName(e).SetCountry(pl).SaveX(sys())
			return c.Partnership.Create().SetUkrainianMunicipality(um).SetEuropeanMunicipality(em).
				SetPhase(phase).SetCreatedAt(formed).SaveX(sys()).ID
		}
		quiet, busy := pair("Quiet UA", "Quiet PL"), pair("Busy UA", "Busy PL")
		c.Activity.Create().SetTitle("mission").SetKind("EXPERT_MISSION").SetStartDate(time.Now().AddDate(0, -1, 0)).
			AddPartnershipIDs(busy).SaveX(sys())
		for st, budget := range map[string]float64{"FUNDED": 1000, "COMPLETED": 250, "CONCEPT": 500} {
			c.Project.Create().SetTitle(st).SetPartnershipID(busy).SetSector("WATER").SetStatus(project.Status(st)).
				SetBudgetEur(budget).SaveX(sys())
		}
		h := serve(t, store)

		var got struct {
			Node struct {
				Health struct {
					LastActivityAt   *time.Time
					ProjectsByStatus []struct {
						Status string
						Count  int
					}
					FundingSecured float64
				}
			}
		}
		h.dataAs(t, `query($id: ID!) { node(id: $id) { ... on Partnership { health { lastActivityAt projectsByStatus { status count } fundingSecured } } } }`,
			map[string]any{"id": strconv.Itoa(busy)}, h.admin, &got)
		hl := got.Node.Health
		var statuses []string
		for _, s := range hl.ProjectsByStatus {
			statuses = append(statuses, s.Status+":"+strconv.Itoa(s.Count))
		}
		slices.Sort(statuses)
		if hl.LastActivityAt == nil || time.Since(*hl.LastActivityAt) > time.Hour || hl.FundingSecured != 1250 ||
			!slices.Equal(statuses, []string{"COMPLETED:1", "CONCEPT:1", "FUNDED:1"}) {
			t.Errorf("health of the busy partnership: %+v (%v)", hl, statuses)
		}
		got.Node.Health.LastActivityAt = nil
		h.data(t, `query($id: ID!) { node(id: $id) { ... on Partnership { health { lastActivityAt fundingSecured } } } }`,
			map[string]any{"id": strconv.Itoa(quiet)}, &got)
		if got.Node.Health.LastActivityAt != nil || got.Node.Health.FundingSecured != 0 {
			t.Errorf("health of the quiet partnership: %+v", got.Node.Health)
		}

		const dormant = `query($m: Int) { dormantPartnerships(months: $m, first: 100) { totalCount edges { node { id } } } }`
		for months, want := range map[int][]string{6: {strconv.Itoa(quiet)}, 9: nil} {
			var d struct{ DormantPartnerships partnershipPage }
			h.dataAs(t, dormant, map[string]any{"m": months}, h.admin, &d)
			var ids []string
			for _, e := range d.DormantPartnerships.Edges {
				ids = append(ids, e.Node.ID)
			}
			if d.DormantPartnerships.TotalCount != len(want) {
				t.Errorf("dormant for %d months: totalCount %d, want %d", months, d.DormantPartnerships.TotalCount, len(want))
			}
			if !slices.Equal(ids, want) {
				t.Errorf("dormant for %d months: %v, want %v", months, ids, want)
			}
		}
		if code := h.query(t, dormant, nil).Code(); code != "FORBIDDEN" && code != "UNAUTHENTICATED" {
			t.Errorf("anonymous dormant partnerships: code %q", code)
		}
		if code := h.mutate(t, dormant, map[string]any{"m": 0}).Code(); code != "BAD_USER_INPUT" {
			t.Errorf("months 0: code %q", code)
		}
	})
}

// partnershipPage is a page of partnerships by id, with its total.
type partnershipPage struct {
	TotalCount int
	Edges      []struct{ Node struct{ ID string } }
}
