package matchtest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/user"
)

// TestSuggestionsExplainAndExclude is the first "done when": a
// need and an offer in WATER put the EU town in the Ukrainian one's top 5
// with a reason naming water; partners, declined pairs (for the decliner
// only) and closed profiles are left out.
func TestSuggestionsExplainAndExclude(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		chuhuiv := h.staff("Chuhuiv editor", membership.RoleEDITOR, "Chuhuiv", "")
		soria := h.staff("Soria editor", membership.RoleEDITOR, "Soria", "")
		azuqueca := h.staff("Azuqueca editor", membership.RoleEDITOR, "Azuqueca de Henares", "")
		h.createNeed(h.admin, "Chuhuiv", "WATER", "HIGH")
		h.createOffer(h.admin, "Soria", "WATER", 2)

		top := h.suggestions(chuhuiv, "Chuhuiv", 5)
		s, ok := find(top, "Soria")
		if !ok {
			t.Fatalf("Soria is not in Chuhuiv's top 5: %v", names(top))
		}
		if text := s.reasonText("NEEDS_MET"); !containsFold(text, "water") {
			t.Errorf("Soria's NEEDS_MET reason %q does not name water", text)
		}
		if s.Rank != 1 || s.Score <= top[1].Score {
			t.Errorf("Soria ranks %d with %.3f; the next has %.3f", s.Rank, s.Score, top[1].Score)
		}
		checkReasons(t, s)
		all := h.suggestions(chuhuiv, "Chuhuiv", 50)
		if _, ok := find(all, "Kuldīga"); ok {
			t.Errorf("Chuhuiv's partner Kuldīga is suggested: %v", names(all))
		}
		if len(all) != 17 {
			t.Errorf("Chuhuiv has %d suggestions, want the 17 EU towns that are not its partner: %v", len(all), names(all))
		}

		// A declined pair disappears for the decliner only.
		decline := `mutation($m: ID!, $c: ID!, $r: String) { declineSuggestion(input: {municipalityId: $m, candidateId: $c, reason: $r}) { id reason } }`
		pair := vars{"m": h.mid("Chuhuiv"), "c": h.mid("Soria"), "r": "too far"}
		h.refused(soria, "FORBIDDEN", decline, pair)
		h.ok(chuhuiv, decline, pair, nil)
		pair["r"] = "no water expertise needed after all"
		if got := h.value(chuhuiv, decline, pair, "declineSuggestion", "reason"); got != pair["r"] {
			t.Errorf("declining again gave reason %q", got)
		}
		if _, ok := find(h.suggestions(chuhuiv, "Chuhuiv", 50), "Soria"); ok {
			t.Error("Soria is still suggested to Chuhuiv after Chuhuiv declined it")
		}
		if _, ok := find(h.suggestions(soria, "Soria", 5), "Chuhuiv"); !ok {
			t.Error("Chuhuiv's decline hid it from Soria's suggestions too")
		}
		if n := h.value(soria, `{ matchDeclines { totalCount } }`, nil, "matchDeclines", "totalCount"); n != "0" {
			t.Errorf("Soria's editor sees %s of Chuhuiv's declines", n)
		}
		h.ok(chuhuiv, `mutation($m: ID!, $c: ID!) { restoreSuggestion(municipalityId: $m, candidateId: $c) }`,
			vars{"m": h.mid("Chuhuiv"), "c": h.mid("Soria")}, nil)
		if _, ok := find(h.suggestions(chuhuiv, "Chuhuiv", 5), "Soria"); !ok {
			t.Error("Soria is not suggested again after the decline was taken back")
		}

		// A closed profile disappears.
		h.createOffer(h.admin, "Azuqueca de Henares", "WATER", 3)
		if _, ok := find(h.suggestions(chuhuiv, "Chuhuiv", 5), "Azuqueca de Henares"); !ok {
			t.Fatal("Azuqueca de Henares, offering water, is not in Chuhuiv's top 5")
		}
		h.ok(azuqueca, `mutation($m: ID!) { setMatchProfile(input: {municipalityId: $m, open: false}) { open } }`,
			vars{"m": h.mid("Azuqueca de Henares")}, nil)
		if _, ok := find(h.suggestions(chuhuiv, "Chuhuiv", 50), "Azuqueca de Henares"); ok {
			t.Error("a closed profile is still suggested")
		}
	})
}

// checkReasons checks that every factor is explained and the contributions
// add up to the score.
func checkReasons(t *testing.T, s suggestion) {
	t.Helper()
	sum := 0.0
	var factors []string
	for _, r := range s.Reasons {
		sum += r.Contribution
		factors = append(factors, r.Factor)
		if r.Text == "" {
			t.Errorf("reason %s has no text", r.Factor)
		}
	}
	slices.Sort(factors)
	want := []string{"ASSOCIATION", "LANGUAGE", "NEEDS_MET", "OPEN", "PARTNER_LOAD", "REGION_TIES", "SIZE"}
	if !reflect.DeepEqual(factors, want) {
		t.Errorf("factors %v, want %v", factors, want)
	}
	if d := sum - s.Score; d > 1e-5 || d < -1e-5 {
		t.Errorf("contributions add up to %f, score is %f", sum, s.Score)
	}
}

// TestSuggestionsAccessPagingAndFilters checks who may ask, that pages
// follow each other and that results are deterministic.
func TestSuggestionsAccessPagingAndFilters(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		member := h.staff("Chuhuiv member", membership.RoleMEMBER, "Chuhuiv", "")
		auc := h.staff("AUC editor", membership.RoleEDITOR, "", "AUC")
		outsider := h.account("outsider", user.RoleNONE)
		h.createNeed(h.admin, "Chuhuiv", "WATER", "HIGH")
		h.createOffer(h.admin, "Soria", "WATER", 2)
		v := vars{"m": h.mid("Chuhuiv"), "n": 3}
		h.refused(anonymous, "UNAUTHENTICATED", suggestionsQuery, v)
		h.refused(outsider, "FORBIDDEN", suggestionsQuery, v)
		h.ok(auc, suggestionsQuery, v, nil) // the national association of Chuhuiv's country

		first6 := h.suggestions(member, "Chuhuiv", 6)
		if again := h.suggestions(h.admin, "Chuhuiv", 6); !reflect.DeepEqual(first6, again) {
			t.Errorf("two runs differ:\n%v\n%v", first6, again)
		}
		cursor := h.value(member, suggestionsQuery, v, "matchSuggestions", "pageInfo", "endCursor")
		var page struct {
			MatchSuggestions struct{ Edges []struct{ Node suggestion } }
		}
		h.ok(member, suggestionsQuery, vars{"m": h.mid("Chuhuiv"), "n": 3, "after": cursor}, &page)
		for i, e := range page.MatchSuggestions.Edges {
			if e.Node.Rank != 4+i || e.Node.Municipality.ID != first6[3+i].Municipality.ID {
				t.Errorf("second page item %d: rank %d %s, want rank %d %s", i, e.Node.Rank, e.Node.Municipality.Name, 4+i, first6[3+i].Municipality.Name)
			}
		}
		spain := h.value(h.admin, `{ countries(where: {code: "ES"}) { edges { node { id } } } }`, nil, "countries", "edges", "0", "node", "id")
		var filtered struct {
			MatchSuggestions struct{ Edges []struct{ Node suggestion } }
		}
		h.ok(member, suggestionsQuery, vars{"m": h.mid("Chuhuiv"), "n": 20, "where": vars{"countryIDIn": []string{spain}}}, &filtered)
		if n := len(filtered.MatchSuggestions.Edges); n != 3 {
			t.Errorf("%d Spanish suggestions, want the 3 Spanish towns", n)
		}
		h.ok(member, suggestionsQuery, vars{"m": h.mid("Chuhuiv"), "n": 20, "where": vars{"sectorIn": []string{"WATER"}}}, &filtered)
		if got := filtered.MatchSuggestions.Edges; len(got) != 1 || got[0].Node.Municipality.Name != "Soria" {
			t.Errorf("suggestions offering water: %v, want Soria", got)
		}
	})
}

// TestNeedsOffersAndProfiles checks who writes needs, offers and profiles,
// the sides they belong to, contact details, and the legacy sector lists.
func TestNeedsOffersAndProfiles(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		editor := h.staff("Chuhuiv editor", membership.RoleEDITOR, "Chuhuiv", "")
		member := h.staff("Chuhuiv member", membership.RoleMEMBER, "Chuhuiv", "")
		other := h.staff("Kuldīga editor", membership.RoleEDITOR, "Kuldīga", "")
		create := `mutation($m: ID!) { createNeed(input: {municipalityId: $m, sector: WATER, description: "Pumping station", urgency: HIGH, contactEmail: "water@chuhuiv.example"}) { id } }`
		v := vars{"m": h.mid("Chuhuiv")}
		h.refused(anonymous, "UNAUTHENTICATED", create, v)
		h.refused(member, "FORBIDDEN", create, v)
		h.refused(other, "FORBIDDEN", create, v)
		id := h.value(editor, create, v, "createNeed", "id")
		h.createNeed(editor, "Chuhuiv", "ENERGY", "LOW")
		resp := h.refused(other, "BAD_USER_INPUT", `mutation($m: ID!) { createNeed(input: {municipalityId: $m, sector: WATER}) { id } }`, vars{"m": h.mid("Kuldīga")})
		if f := resp.Errors[0].Field(); f != "municipalityId" {
			t.Errorf("a need of an EU town is refused on %q, want municipalityId", f)
		}
		contact := `query($id: ID!) { node(id: $id) { ... on Need { sector urgency contactEmail } } }`
		if got := h.value(anonymous, contact, vars{"id": id}, "node", "contactEmail"); got != "null" {
			t.Errorf("anonymous callers see the contact %s", got)
		}
		if got := h.value(member, contact, vars{"id": id}, "node", "contactEmail"); got != "water@chuhuiv.example" {
			t.Errorf("signed-in users see contact %q", got)
		}
		if got := h.value(anonymous, `query($m: ID!) { node(id: $m) { ... on Municipality { needs needRecords { totalCount } } } }`, v, "node"); got != `{"needRecords":{"totalCount":2},"needs":["WATER","ENERGY"]}` {
			t.Errorf("Chuhuiv's needs read %s", got)
		}
		h.ok(editor, `mutation($id: ID!) { deleteNeed(id: $id) }`, vars{"id": id}, nil)
		if got := h.value(anonymous, `query($m: ID!) { node(id: $m) { ... on Municipality { needs } } }`, v, "node", "needs"); got != `["ENERGY"]` {
			t.Errorf("after deleting the water need Chuhuiv's needs read %s", got)
		}
		h.refused(editor, "BAD_USER_INPUT", `mutation($m: ID!) { setMatchProfile(input: {municipalityId: $m, open: true, languages: ["uk", "xx"]}) { id } }`, v)
		got := h.value(editor, `mutation($m: ID!) { setMatchProfile(input: {municipalityId: $m, open: true, wantedPartners: 2, languages: ["UK", "en"]}) { languages wantedPartners } }`, v, "setMatchProfile")
		if got != `{"languages":["en","uk"],"wantedPartners":2}` {
			t.Errorf("profile %s", got)
		}
	})
}

// TestWeightsAreDataTheSecretariatChanges checks that the weights are read
// by anyone, set by the secretariat alone, audited and used.
func TestWeightsAreDataTheSecretariatChanges(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		editor := h.staff("Chuhuiv editor", membership.RoleEDITOR, "Chuhuiv", "")
		set := `mutation($w: Float!) { setMatchWeight(factor: NEEDS_MET, weight: $w) { factor weight } }`
		h.refused(anonymous, "UNAUTHENTICATED", set, vars{"w": 1.0})
		h.refused(editor, "FORBIDDEN", set, vars{"w": 1.0})
		h.refused(h.admin, "BAD_USER_INPUT", set, vars{"w": -1.0})
		h.ok(h.admin, set, vars{"w": 1.0}, nil)
		if got := h.value(anonymous, `{ matchWeights { factor weight isDefault } }`, nil, "matchWeights", "0"); got != `{"factor":"NEEDS_MET","isDefault":false,"weight":1}` {
			t.Errorf("NEEDS_MET weight %s", got)
		}
		if n := h.value(h.admin, `{ auditLogs(where: {entity: "MatchWeight"}) { totalCount } }`, nil, "auditLogs", "totalCount"); n != "1" {
			t.Errorf("%s audit rows for the weight, want 1", n)
		}
		h.createNeed(h.admin, "Chuhuiv", "WATER", "HIGH")
		h.createOffer(h.admin, "Soria", "WATER", 3)
		s, _ := find(h.suggestions(editor, "Chuhuiv", 1), "Soria")
		for _, r := range s.Reasons {
			if r.Factor == "NEEDS_MET" && (r.Weight != 1 || r.Contribution != 1) {
				t.Errorf("NEEDS_MET weighs %v and contributes %v, want 1 and 1", r.Weight, r.Contribution)
			}
		}
	})
}
