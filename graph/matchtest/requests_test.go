package matchtest

import (
	"slices"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/partnershiprequest"
	"github.com/bridgesoftrust/hub/ent/user"
)

// cast are the people around a request between Chuhuiv (Ukraine) and
// Soria (Spain, whose national association is FEMP).
type cast struct {
	chuhuiv, chuhuivMember, soria, kuldiga, femp, auc, lalrg, outsider, analyst caller
}

func newCast(h *hub) cast {
	return cast{
		chuhuiv:       h.staff("Chuhuiv editor", membership.RoleEDITOR, "Chuhuiv", ""),
		chuhuivMember: h.staff("Chuhuiv member", membership.RoleMEMBER, "Chuhuiv", ""),
		soria:         h.staff("Soria editor", membership.RoleEDITOR, "Soria", ""),
		kuldiga:       h.staff("Kuldīga editor", membership.RoleEDITOR, "Kuldīga", ""),
		femp:          h.staff("FEMP editor", membership.RoleEDITOR, "", "FEMP"),
		auc:           h.staff("AUC editor", membership.RoleEDITOR, "", "AUC"),
		lalrg:         h.staff("LALRG editor", membership.RoleEDITOR, "", "LALRG"),
		outsider:      h.account("outsider", user.RoleNONE),
		analyst:       h.account("analyst", user.RoleANALYST),
	}
}

const (
	interest   = `mutation($f: ID!, $t: ID!) { expressInterest(input: {fromMunicipalityId: $f, toMunicipalityId: $t, message: "Let us work on water"}) { id status partnership { id } } }`
	respond    = `mutation($id: ID!, $a: Boolean!) { respondToPartnershipRequest(id: $id, accept: $a, reason: "not now") { id status partnership { id } } }`
	facilitate = `mutation($id: ID!) { facilitatePartnershipRequest(id: $id) { id status partnership { id } } }`
	confirm    = `mutation($id: ID!) { confirmPartnershipRequest(id: $id) { id status partnership { id } } }`
	withdraw   = `mutation($id: ID!) { withdrawPartnershipRequest(id: $id, reason: "changed plans") { id status } }`
)

// TestRequestFromInterestToPartnership walks the full path, refusing
// every forbidden step on the way, and checks notifications and audit
// rows at each step and the partnership at the end.
func TestRequestFromInterestToPartnership(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		c := newCast(h)
		h.createNeed(h.admin, "Chuhuiv", "WATER", "HIGH")
		h.createOffer(h.admin, "Soria", "WATER", 2)
		pair := vars{"f": h.mid("Chuhuiv"), "t": h.mid("Soria")}
		h.refused(anonymous, "UNAUTHENTICATED", interest, pair)
		h.refused(c.chuhuivMember, "FORBIDDEN", interest, pair)
		h.refused(c.kuldiga, "FORBIDDEN", interest, pair)
		h.refused(c.femp, "FORBIDDEN", interest, pair)
		id := h.value(c.chuhuiv, interest, pair, "expressInterest", "id")
		expectStatus(t, h, c.chuhuiv, id, "PROPOSED")
		h.refused(c.chuhuiv, "BAD_USER_INPUT", interest, pair) // one open request per pair

		step := vars{"id": id, "a": true}
		h.refused(anonymous, "UNAUTHENTICATED", respond, step)
		h.refused(c.chuhuiv, "FORBIDDEN", respond, step)       // the proposer cannot accept its own
		h.refused(c.femp, "FORBIDDEN", respond, step)          // nor the association
		h.refused(c.kuldiga, "NOT_FOUND", respond, step)       // another municipality's editor does not see it
		h.refused(c.chuhuivMember, "FORBIDDEN", respond, step) // a member who is not an editor
		h.refused(c.femp, "BAD_USER_INPUT", facilitate, step)  // not accepted yet: out of order
		h.refused(h.admin, "BAD_USER_INPUT", confirm, step)    // out of order even for the secretariat
		h.ok(c.soria, respond, step, nil)
		expectStatus(t, h, c.soria, id, "ACCEPTED")

		h.refused(c.lalrg, "NOT_FOUND", facilitate, step) // an association of another country
		h.refused(c.auc, "FORBIDDEN", facilitate, step)   // sees it (Ukraine's association) but cannot facilitate
		h.refused(c.soria, "FORBIDDEN", facilitate, step)
		h.refused(c.chuhuiv, "FORBIDDEN", facilitate, step)
		h.refused(anonymous, "UNAUTHENTICATED", facilitate, step)
		h.ok(c.femp, facilitate, step, nil)
		expectStatus(t, h, c.femp, id, "FACILITATED")

		for _, who := range []caller{c.femp, c.chuhuiv, c.soria, c.auc} {
			h.refused(who, "FORBIDDEN", confirm, step)
		}
		h.refused(anonymous, "UNAUTHENTICATED", confirm, step)
		partnershipID := h.value(h.admin, confirm, step, "confirmPartnershipRequest", "partnership", "id")
		expectStatus(t, h, c.chuhuiv, id, "CONFIRMED")
		got := h.value(anonymous, `query($u: String!) { partnerships(first: 2, where: {hasUkrainianMunicipalityWith: {name: $u}, hasEuropeanMunicipalityWith: {name: "Soria"}}) {
			edges { node { id themes status facilitators(first: 5) { edges { node { acronym } } } } } } }`, vars{"u": "Chuhuiv"}, "partnerships", "edges", "0", "node")
		want := `{"facilitators":{"edges":[{"node":{"acronym":"FEMP"}}]},"id":"` + partnershipID + `","status":"ACTIVE","themes":["water supply"]}`
		if got != want {
			t.Errorf("the partnership reads %s, want %s", got, want)
		}
		h.refused(c.soria, "BAD_USER_INPUT", withdraw, step) // final: nothing more

		// Notifications: everyone concerned at each step, never the actor.
		expectNotes(t, h, c.chuhuivMember, id, "REQUEST_PROPOSED", "REQUEST_ACCEPTED", "REQUEST_FACILITATED", "REQUEST_CONFIRMED")
		expectNotes(t, h, c.chuhuiv, id, "REQUEST_ACCEPTED", "REQUEST_FACILITATED", "REQUEST_CONFIRMED")
		expectNotes(t, h, c.soria, id, "REQUEST_PROPOSED", "REQUEST_FACILITATED", "REQUEST_CONFIRMED")
		expectNotes(t, h, c.femp, id, "REQUEST_PROPOSED", "REQUEST_ACCEPTED", "REQUEST_CONFIRMED")
		expectNotes(t, h, h.admin, id, "REQUEST_FACILITATED")
		for _, who := range []caller{c.kuldiga, c.lalrg, c.outsider, c.analyst} {
			expectNotes(t, h, who, id)
		}
		// Audit rows: the proposal and each of the three steps, plus the
		// partnership's id; and the partnership itself.
		if n := h.value(h.admin, `query($id: Int!) { auditLogs(where: {entity: "PartnershipRequest", entityID: $id}) { totalCount } }`,
			vars{"id": atoi(t, id)}, "auditLogs", "totalCount"); n != "5" {
			t.Errorf("%s audit rows for the request, want 5", n)
		}
		if n := h.value(h.admin, `query($id: Int!) { auditLogs(where: {entity: "Partnership", entityID: $id}) { totalCount } }`,
			vars{"id": atoi(t, partnershipID)}, "auditLogs", "totalCount"); n != "1" {
			t.Errorf("%s audit rows for the partnership, want 1", n)
		}
		if _, ok := find(h.suggestions(c.chuhuiv, "Chuhuiv", 50), "Soria"); ok {
			t.Error("Soria is still suggested to Chuhuiv once they are partners")
		}
	})
}

// TestMutualInterestDeclineAndWithdraw checks that interest from both
// sides accepts the request, and declines and withdrawals.
func TestMutualInterestDeclineAndWithdraw(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		c := newCast(h)
		id := h.value(c.chuhuiv, interest, vars{"f": h.mid("Chuhuiv"), "t": h.mid("Soria")}, "expressInterest", "id")
		mutual := h.value(c.soria, interest, vars{"f": h.mid("Soria"), "t": h.mid("Chuhuiv")}, "expressInterest")
		if mutual != `{"id":"`+id+`","partnership":null,"status":"ACCEPTED"}` {
			t.Errorf("interest from the other side gave %s, want request %s ACCEPTED", mutual, id)
		}
		h.refused(c.auc, "FORBIDDEN", respond, vars{"id": id, "a": false})
		declined := h.value(c.femp, respond, vars{"id": id, "a": false}, "respondToPartnershipRequest", "status")
		if declined != "DECLINED" {
			t.Errorf("the facilitating association's decline gave %s", declined)
		}
		if r := h.value(c.chuhuiv, `query($id: ID!) { node(id: $id) { ... on PartnershipRequest { reason } } }`, vars{"id": id}, "node", "reason"); r != "not now" {
			t.Errorf("reason %q", r)
		}
		// A closed request frees the pair: a new one can be proposed and withdrawn.
		again := h.value(c.soria, interest, vars{"f": h.mid("Soria"), "t": h.mid("Chuhuiv")}, "expressInterest", "id")
		h.refused(c.kuldiga, "NOT_FOUND", withdraw, vars{"id": again})
		h.refused(c.chuhuivMember, "FORBIDDEN", withdraw, vars{"id": again})
		if s := h.value(c.soria, withdraw, vars{"id": again}, "withdrawPartnershipRequest", "status"); s != "WITHDRAWN" {
			t.Errorf("withdrawn request is %s", s)
		}
		expectNotes(t, h, c.chuhuiv, again, "REQUEST_PROPOSED", "REQUEST_WITHDRAWN")
		// Partners cannot be proposed; nor can a closed profile.
		h.refused(c.chuhuiv, "BAD_USER_INPUT", interest, vars{"f": h.mid("Chuhuiv"), "t": h.mid("Kuldīga")})
		h.ok(c.soria, `mutation($m: ID!) { setMatchProfile(input: {municipalityId: $m, open: false}) { id } }`, vars{"m": h.mid("Soria")}, nil)
		h.refused(c.chuhuiv, "BAD_USER_INPUT", interest, vars{"f": h.mid("Chuhuiv"), "t": h.mid("Soria")})
	})
}

// TestOutsidersCannotSeeOrInferRequests checks every read path: root
// list, node(id:), nodes, filters, nested edges, the waiting list.
func TestOutsidersCannotSeeOrInferRequests(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		c := newCast(h)
		id := h.value(c.chuhuiv, interest, vars{"f": h.mid("Chuhuiv"), "t": h.mid("Soria")}, "expressInterest", "id")
		insiders := []caller{h.admin, c.chuhuiv, c.chuhuivMember, c.soria, c.femp, c.auc}
		outsiders := []caller{anonymous, c.kuldiga, c.lalrg, c.outsider, c.analyst}
		reads := []string{
			`{ partnershipRequests { totalCount } }`,
			`{ partnershipRequests(where: {hasUkrainianMunicipalityWith: {name: "Chuhuiv"}}) { totalCount } }`,
			`{ partnershipRequests(where: {status: PROPOSED}) { totalCount } }`,
			`{ partnershipRequests(where: {hasEuropeanMunicipalityWith: {hasCountryWith: {code: "ES"}}}) { edges { node { id } } totalCount } }`,
		}
		for _, q := range reads {
			for _, who := range insiders {
				if n := h.value(who, q, nil, "partnershipRequests", "totalCount"); n != "1" {
					t.Errorf("%s sees %s requests in %s, want 1", who.name, n, q)
				}
			}
			for _, who := range outsiders {
				if n := h.value(who, q, nil, "partnershipRequests", "totalCount"); n != "0" {
					t.Errorf("%s sees %s requests in %s", who.name, n, q)
				}
			}
		}
		byID := `query($id: ID!) { node(id: $id) { id ... on PartnershipRequest { status } } }`
		byIDs := `query($id: ID!) { nodes(ids: [$id]) { id } }`
		const missing = "107374182399" // a request id that does not exist
		for _, who := range outsiders {
			for _, q := range []string{byID, byIDs} {
				seen, none := h.do(who, q, vars{"id": id}), h.do(who, q, vars{"id": missing})
				if seen.Code() != none.Code() || string(seen.Data) != string(none.Data) || seen.Code() != "NOT_FOUND" {
					t.Errorf("%s: %s answers %s %s for the request, %s %s for a missing id", who.name, q, seen.Code(), seen.Data, none.Code(), none.Data)
				}
			}
			// Steps on it answer as for an id that does not exist.
			none := h.do(who, facilitate, vars{"id": missing}).Code()
			if got := h.do(who, facilitate, vars{"id": id}).Code(); got != none || (who.name != "anonymous" && got != "NOT_FOUND") {
				t.Errorf("%s facilitating the request gets %s, a missing one %s", who.name, got, none)
			}
		}
		// No edge of the public graph leads to a request or filters by one.
		for _, q := range []string{
			`{ municipalities(where: {hasPartnershipRequests: true}) { totalCount } }`,
			`query($m: ID!) { node(id: $m) { ... on Municipality { partnershipRequests { totalCount } } } }`,
			`{ notifications(where: {hasPartnershipRequest: true}) { totalCount } }`,
		} {
			if code := h.do(c.outsider, q, vars{"m": h.mid("Chuhuiv")}).Code(); code != "GRAPHQL_VALIDATION_FAILED" {
				t.Errorf("%s: %s, want a validation failure (no such field)", q, code)
			}
		}
		stale := `{ stalePartnershipRequests { totalCount edges { node { id } } } }`
		h.refused(anonymous, "UNAUTHENTICATED", stale, nil)
		for _, who := range []caller{c.chuhuiv, c.femp, c.analyst} {
			h.refused(who, "FORBIDDEN", stale, nil)
		}
	})
}

// TestRequestsWaitingTooLongAreListed checks the secretariat's list of
// requests that have waited more than 14 days at one step.
func TestRequestsWaitingTooLongAreListed(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		c := newCast(h)
		old := h.value(c.chuhuiv, interest, vars{"f": h.mid("Chuhuiv"), "t": h.mid("Soria")}, "expressInterest", "id")
		fresh := h.value(c.chuhuiv, interest, vars{"f": h.mid("Chuhuiv"), "t": h.mid("Teruel")}, "expressInterest", "id")
		closed := h.value(c.chuhuiv, interest, vars{"f": h.mid("Chuhuiv"), "t": h.mid("Pápa")}, "expressInterest", "id")
		h.ok(c.chuhuiv, withdraw, vars{"id": closed}, nil)
		for _, id := range []string{old, closed} {
			h.store.Client.PartnershipRequest.Update().Where(partnershiprequest.ID(atoi(t, id))).
				SetStepAt(time.Now().AddDate(0, 0, -15)).ExecX(sys())
		}
		var data struct {
			StalePartnershipRequests struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
		}
		h.ok(h.admin, `{ stalePartnershipRequests { totalCount edges { node { id } } } }`, nil, &data)
		var ids []string
		for _, e := range data.StalePartnershipRequests.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !slices.Equal(ids, []string{old}) {
			t.Errorf("waiting requests %v, want only %s (not the fresh %s nor the withdrawn %s)", ids, old, fresh, closed)
		}
	})
}

// expectStatus checks a request's status as c reads it by id.
func expectStatus(t *testing.T, h *hub, c caller, id, want string) {
	t.Helper()
	if got := h.value(c, `query($id: ID!) { node(id: $id) { ... on PartnershipRequest { status } } }`, vars{"id": id}, "node", "status"); got != want {
		t.Errorf("request %s is %s for %s, want %s", id, got, c.name, want)
	}
}

// expectNotes checks c's notifications about request id, oldest first.
func expectNotes(t *testing.T, h *hub, c caller, id string, want ...string) {
	t.Helper()
	var data struct {
		Notifications struct {
			Edges []struct {
				Node struct {
					Kind               string
					PartnershipRequest *struct{ ID string }
				}
			}
		}
	}
	h.ok(c, `{ notifications(first: 50) { edges { node { kind partnershipRequest { id } } } } }`, nil, &data)
	var got []string
	for _, e := range data.Notifications.Edges {
		if e.Node.PartnershipRequest != nil && e.Node.PartnershipRequest.ID == id {
			got = append(got, e.Node.Kind)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s has notifications %v about request %s, want %v", c.name, got, id, want)
	}
}
