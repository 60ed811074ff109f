package matchmaking_test

import (
	"math"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/sector"
)

func chuhuiv() *matchmaking.Profile {
	return &matchmaking.Profile{ID: 1, Name: "Chuhuiv", Side: matchmaking.Ukrainian, Population: 30000,
		Needs: []matchmaking.Need{{Sector: sector.Water, Urgency: matchmaking.UrgencyHigh}, {Sector: sector.Energy, Urgency: matchmaking.UrgencyLow}}}
}

func reason(s matchmaking.Suggestion, f matchmaking.Factor) matchmaking.Reason {
	for _, r := range s.Reasons {
		if r.Factor == f {
			return r
		}
	}
	return matchmaking.Reason{}
}

func TestNeedsMetCountsUrgencyAndCapacity(t *testing.T) {
	for _, tc := range []struct {
		offers []matchmaking.Offer
		want   float64
	}{
		{nil, 0},
		{[]matchmaking.Offer{{Sector: sector.Water, Capacity: 1}}, 3 * 0.5 / 4},
		{[]matchmaking.Offer{{Sector: sector.Water, Capacity: 2}}, 3 * 0.75 / 4},
		{[]matchmaking.Offer{{Sector: sector.Water, Capacity: 9}, {Sector: sector.Water, Capacity: 1}}, 3.0 / 4},
		{[]matchmaking.Offer{{Sector: sector.Water, Capacity: 3}, {Sector: sector.Energy, Capacity: 3}}, 1},
		{[]matchmaking.Offer{{Sector: sector.Culture, Capacity: 3}}, 0},
	} {
		eu := &matchmaking.Profile{ID: 2, Name: "Soria", Side: matchmaking.European, Offers: tc.offers}
		if got := matchmaking.NeedsMetValue(chuhuiv(), eu); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("offers %v: NEEDS_MET %v, want %v", tc.offers, got, tc.want)
		}
	}
}

func TestScoreExplainsEachFactor(t *testing.T) {
	eu := &matchmaking.Profile{ID: 2, Name: "Soria", Side: matchmaking.European, Population: 40000, LRGA: true, Partners: 2,
		HasProfile: true, Wanted: 2, Offers: []matchmaking.Offer{{Sector: sector.Water, Capacity: 2}}}
	s := matchmaking.Score(chuhuiv(), eu, matchmaking.DefaultWeights)
	if text := reason(s, matchmaking.NeedsMet).Text; !strings.Contains(text, "water supply") || !strings.Contains(text, "Chuhuiv needs urgently") {
		t.Errorf("NEEDS_MET says %q", text)
	}
	if r := reason(s, matchmaking.PartnerLoad); r.Contribution != -0.05 || !strings.Contains(r.Text, "2 partners") {
		t.Errorf("PARTNER_LOAD %+v", r)
	}
	if r := reason(s, matchmaking.Open); r.Contribution != 0.05 {
		t.Errorf("OPEN %+v", r)
	}
	sum := 0.0
	for _, r := range s.Reasons {
		sum += r.Contribution
	}
	if math.Abs(sum-s.Score) > 1e-9 || len(s.Reasons) != len(matchmaking.Factors) {
		t.Errorf("score %v, reasons add to %v (%d reasons)", s.Score, sum, len(s.Reasons))
	}
	// The same pair scores the same from the other side.
	if back := matchmaking.Score(eu, chuhuiv(), matchmaking.DefaultWeights); reason(back, matchmaking.NeedsMet).Contribution != reason(s, matchmaking.NeedsMet).Contribution {
		t.Errorf("NEEDS_MET differs by side: %v and %v", reason(back, matchmaking.NeedsMet), reason(s, matchmaking.NeedsMet))
	}
}

func TestSizeSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b int
		want float64
	}{{1000, 1000, 1}, {1000, 10000, 0}, {1000, 100000, 0}, {0, 1000, 0}, {1000, 3162, 0.5}} {
		if got := matchmaking.SizeValue(tc.a, tc.b); math.Abs(got-tc.want) > 1e-3 {
			t.Errorf("SizeValue(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestRankIsDeterministicWithTiesByID(t *testing.T) {
	target := chuhuiv()
	var candidates []*matchmaking.Profile
	for _, id := range []int{9, 3, 7, 5} {
		candidates = append(candidates, &matchmaking.Profile{ID: id, Name: "Twin", Side: matchmaking.European})
	}
	candidates = append(candidates, &matchmaking.Profile{ID: 8, Name: "Best", Side: matchmaking.European,
		Offers: []matchmaking.Offer{{Sector: sector.Water, Capacity: 3}}})
	ranked := matchmaking.Rank(target, candidates, matchmaking.DefaultWeights)
	var ids []int
	for _, s := range ranked {
		ids = append(ids, s.Candidate.ID)
	}
	if want := []int{8, 3, 5, 7, 9}; !equal(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}
	if matchmaking.Complete(ranked, 1, ranked[0].Score) || !matchmaking.Complete(ranked, 1, ranked[1].Score) {
		t.Error("Complete must need the n-th score strictly above the bound of the rest")
	}
}

func TestWeightsOverrideDefaults(t *testing.T) {
	w := matchmaking.With(matchmaking.Weights{matchmaking.NeedsMet: 1})
	if w[matchmaking.NeedsMet] != 1 || w[matchmaking.Size] != matchmaking.DefaultWeights[matchmaking.Size] {
		t.Errorf("weights %v", w)
	}
	for _, bad := range []float64{-0.1, 11, math.NaN()} {
		if matchmaking.ValidateWeight(bad) == nil {
			t.Errorf("weight %v accepted", bad)
		}
	}
}

func TestStepsNameWhoMayTakeThem(t *testing.T) {
	for _, tc := range []struct {
		step  matchmaking.Step
		from  matchmaking.Status
		roles matchmaking.Role
		ok    bool
	}{
		{matchmaking.StepAccept, matchmaking.Proposed, matchmaking.Receiver, true},
		{matchmaking.StepAccept, matchmaking.Proposed, matchmaking.Initiator | matchmaking.Facilitator, false},
		{matchmaking.StepFacilitate, matchmaking.Accepted, matchmaking.Facilitator, true},
		{matchmaking.StepFacilitate, matchmaking.Accepted, matchmaking.Receiver, false},
		{matchmaking.StepConfirm, matchmaking.Facilitated, matchmaking.Facilitator, false},
		{matchmaking.StepConfirm, matchmaking.Facilitated, matchmaking.Secretariat, true},
		{matchmaking.StepDecline, matchmaking.Facilitated, matchmaking.Receiver, true},
		{matchmaking.StepWithdraw, matchmaking.Accepted, matchmaking.Initiator, true},
	} {
		if err := tc.step.CheckRoles(tc.roles); (err == nil) != tc.ok {
			t.Errorf("%s by %b: %v", tc.step.To, tc.roles, err)
		}
		if err := tc.step.CheckOrder(tc.from); err != nil {
			t.Errorf("%s from %s: %v", tc.step.To, tc.from, err)
		}
	}
	if matchmaking.StepConfirm.CheckOrder(matchmaking.Proposed) == nil || matchmaking.StepWithdraw.CheckOrder(matchmaking.Confirmed) == nil {
		t.Error("steps out of order are accepted")
	}
}

func TestLanguageMask(t *testing.T) {
	mask, err := matchmaking.LanguageMask([]string{"EN", " uk"})
	if err != nil || mask != 3 {
		t.Errorf("mask %b, %v", mask, err)
	}
	if _, err := matchmaking.LanguageMask([]string{"klingon"}); err == nil {
		t.Error("an unknown language is accepted")
	}
	if got := matchmaking.NormalizeLanguages([]string{"uk", "EN", "uk"}); !equal(got, []string{"en", "uk"}) {
		t.Errorf("normalized %v", got)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
