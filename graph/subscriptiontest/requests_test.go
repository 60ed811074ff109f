package subscriptiontest

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// partnershipRequestUpdated follows partnership requests.
const partnershipRequestUpdated = `subscription($id: ID) { partnershipRequestUpdated(id: $id) { id status partnership { id } } }`

// staffOf makes c staff of the municipality named name and returns the
// municipality's id.
func (h *hub) staffOf(c caller, role membership.Role, name string) string {
	h.t.Helper()
	ctx := authz.SystemContext(context.Background())
	id := h.store.Client.Municipality.Query().Where(municipality.Name(name)).OnlyIDX(ctx)
	h.store.Client.Membership.Create().SetUserID(c.userID(h.t)).SetMunicipalityID(id).SetRole(role).SaveX(ctx)
	return strconv.Itoa(id)
}

// TestPartnershipRequestUpdated checks that the staff of a request's
// municipalities follow its steps live, with and without its id, while a
// subscriber who may not see it receives nothing and cannot subscribe to
// it by id; and that the steps' notifications arrive by notificationAdded.
func TestPartnershipRequestUpdated(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		if err := seed.Demo(authz.SystemContext(context.Background()), d.store.Client); err != nil {
			t.Fatal(err)
		}
		h := d.serve(t, nil)
		chuhuiv, soria, outsider := h.user(), h.user(), h.user()
		from := h.staffOf(chuhuiv, membership.RoleEDITOR, "Chuhuiv")
		to := h.staffOf(soria, membership.RoleEDITOR, "Soria")
		h.staffOf(outsider, membership.RoleEDITOR, "Kuldīga")

		all, other, notes := h.connect(soria), h.connect(outsider), h.connect(soria)
		all.subscribe("all", partnershipRequestUpdated, nil)
		other.subscribe("all", partnershipRequestUpdated, nil)
		notes.subscribe("n", `subscription { notificationAdded { kind partnershipRequest { id status } } }`, nil)
		h.events.waitFor(t, live.PartnershipRequests, 2)
		h.events.waitFor(t, live.UserNotifications(soria.userID(t)), 1)

		id := h.value(chuhuiv, `mutation($f: ID!, $t: ID!) { expressInterest(input: {fromMunicipalityId: $f, toMunicipalityId: $t}) { id } }`,
			vars{"f": from, "t": to}, "expressInterest", "id")
		if got := all.nextField("all", "partnershipRequestUpdated", "status"); got != "PROPOSED" {
			t.Errorf("the receiver's subscription got %s, want PROPOSED", got)
		}
		var note struct {
			NotificationAdded struct {
				Kind               string
				PartnershipRequest struct{ ID, Status string }
			}
		}
		if err := json.Unmarshal(notes.next("n"), &note); err != nil {
			t.Fatal(err)
		}
		if n := note.NotificationAdded; n.Kind != "REQUEST_PROPOSED" || n.PartnershipRequest.ID != id {
			t.Errorf("notification %+v, want REQUEST_PROPOSED of %s", n, id)
		}

		one := h.connect(chuhuiv)
		one.subscribe("one", partnershipRequestUpdated, vars{"id": id})
		h.events.waitFor(t, live.PartnershipRequest(atoiT(t, id)), 1)
		refused := h.connect(outsider)
		refused.subscribe("one", partnershipRequestUpdated, vars{"id": id})
		if err := refused.refused("one"); err.Code() != "NOT_FOUND" {
			t.Errorf("an outsider subscribing to the request by id: %s %q, want NOT_FOUND", err.Code(), err.Message)
		}
		h.value(soria, `mutation($id: ID!) { respondToPartnershipRequest(id: $id, accept: true) { status } }`, vars{"id": id},
			"respondToPartnershipRequest", "status")
		for _, c := range []*wsClient{all, one} {
			op := map[*wsClient]string{all: "all", one: "one"}[c]
			if got := c.nextField(op, "partnershipRequestUpdated", "status"); got != "ACCEPTED" {
				t.Errorf("subscription %s got %s, want ACCEPTED", op, got)
			}
		}
		anonymousClient := h.connect(anonymous)
		anonymousClient.subscribe("a", partnershipRequestUpdated, nil)
		if err := anonymousClient.refused("a"); err.Code() != "UNAUTHENTICATED" {
			t.Errorf("anonymous subscription: %s, want UNAUTHENTICATED", err.Code())
		}
		quiet(all, other, one)
	})
}

func atoiT(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
