package apitest

import (
	"net/http"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// TestTopicsNameOnlyOwnPartnerships checks who may open a topic that names
// partnerships (its posts then count as their activity): the staff of a
// partnership's town or facilitating association and the secretariat may;
// another member may not name it, nor one that does not exist, and the
// refused request writes nothing.
func TestTopicsNameOnlyOwnPartnerships(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		c := store.Client
		h := serve(t, store)
		ua := c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
		pl := c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys())
		phase := c.Phase.Create().SetName("pilot").SaveX(sys())
		town := c.Municipality.Create().SetName("Chuhuiv").SetCountry(ua).SaveX(sys())
		partnership := func(ua *ent.Municipality) int {
			return c.Partnership.Create().SetPhase(phase).SetUkrainianMunicipality(ua).
				SetEuropeanMunicipality(c.Municipality.Create().SetName("Partner").SetCountry(pl).SaveX(sys())).SaveX(sys()).ID
		}
		ours, theirs := partnership(town), partnership(c.Municipality.Create().SetName("Other").SetCountry(ua).SaveX(sys()))
		staff := authtest.Staff(t, store, "MEMBER", func(m *ent.MembershipCreate) { m.SetMunicipalityID(town.ID) })
		outsider := authtest.Header(t, store, "NONE")
		category := c.ForumCategory.Create().SetName("General").SetSlug("general").SaveX(sys())

		const create = `mutation($c: ID!, $t: String!, $p: [ID!]) { createTopic(input: {categoryId: $c, title: $t, body: "Met.", partnershipIds: $p}) { id partnerships(first: 5) { totalCount } } }`
		for _, tc := range []struct {
			name   string
			as     http.Header
			names  []int
			allows bool
		}{
			{"staff, own partnership", staff, []int{ours}, true},
			{"staff, another's partnership", staff, []int{ours, theirs}, false},
			{"staff, no such partnership", staff, []int{ours + theirs + 1000}, false},
			{"member without a town, any partnership", outsider, []int{ours}, false},
			{"member without a town, none named", outsider, nil, true},
			{"secretariat, any partnership", h.admin, []int{ours, theirs}, true},
		} {
			resp := gqltest.Post(t, h.endpoint, create, map[string]any{"c": category.ID, "t": tc.name, "p": tc.names}, tc.as)
			written := c.Topic.Query().Where(topic.Title(tc.name)).CountX(sys())
			if tc.allows {
				resp.NoErrors(t)
				if written != 1 {
					t.Errorf("%s: %d topics written, want 1", tc.name, written)
				}
				continue
			}
			if resp.Code() == "" || written != 0 {
				t.Errorf("%s: code %q and %d topics written, want refused and none", tc.name, resp.Code(), written)
			}
		}
	})
}
