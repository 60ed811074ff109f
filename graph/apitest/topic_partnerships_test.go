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
		programme := newPilot(c)
		town := programme.town("Chuhuiv", programme.ua)
		ours := programme.partnership(town, "Partner").SaveX(sys()).ID
		theirs := programme.partnership(programme.town("Other", programme.ua), "Partner").SaveX(sys()).ID
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
