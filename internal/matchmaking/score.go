package matchmaking

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/bridgesoftrust/hub/internal/sector"
)

// Side is the side of the programme a municipality is on.
type Side int

// The two sides of a partnership.
const (
	Ukrainian Side = iota
	European
)

// Need is a sector a Ukrainian municipality seeks help in.
type Need struct {
	Sector  sector.Sector
	Urgency Urgency
}

// Offer is a sector an EU municipality can help in, with how many partners
// or missions it can take on.
type Offer struct {
	Sector   sector.Sector
	Capacity int
}

// Profile is what the engine knows of a municipality. The fields marked
// "relative" depend on the municipality it is scored against; the loader
// fills them for each candidate.
type Profile struct {
	ID         int
	Name       string
	Side       Side
	Population int // 0 when unknown
	Needs      []Need
	Offers     []Offer
	Languages  int64 // bit set over Languages
	// HasProfile is whether the municipality has a matchmaking profile;
	// Wanted is how many more partners it wants (0: no number given).
	HasProfile bool
	Wanted     int
	// Partners is how many partnerships it has.
	Partners int
	// LRGA is whether a national association that can facilitate is
	// active in its country (used for the EU side).
	LRGA bool
	// RegionTied (relative) is whether the Ukrainian side's oblast and the
	// EU side's country are already paired by another partnership.
	RegionTied bool
}

// Reason is one factor of a suggestion: its weight, its contribution to
// the score and a sentence that explains it.
type Reason struct {
	Factor       Factor
	Weight       float64
	Contribution float64
	Text         string
}

// Suggestion is a candidate with its score and the reasons for it.
type Suggestion struct {
	Candidate *Profile
	Score     float64
	Reasons   []Reason
}

// Score scores candidate as a partner of target (they are on opposite
// sides) and explains the score.
func Score(target, candidate *Profile, w Weights) Suggestion {
	values := factorValues(target, candidate)
	texts := factorTexts(target, candidate)
	s := Suggestion{Candidate: candidate, Score: total(values, w)}
	for i, f := range Factors {
		s.Reasons = append(s.Reasons, Reason{Factor: f, Weight: w[f], Contribution: round(w[f] * values[i]), Text: texts[i]})
	}
	slices.SortStableFunc(s.Reasons, func(a, b Reason) int {
		return cmp.Compare(math.Abs(b.Contribution), math.Abs(a.Contribution))
	})
	return s
}

// Total is Score's score without the reasons: cheap enough to score every
// candidate.
func Total(target, candidate *Profile, w Weights) float64 {
	return total(factorValues(target, candidate), w)
}

// total adds the contributions, each rounded as Score shows it.
func total(values [7]float64, w Weights) float64 {
	a := w.Array()
	return a.total(values)
}

// WeightArray is Weights in the order of Factors, for scoring many
// candidates without map lookups.
type WeightArray [7]float64

// Array returns w in the order of Factors.
func (w Weights) Array() WeightArray {
	var a WeightArray
	for i, f := range Factors {
		a[i] = w[f]
	}
	return a
}

func (a *WeightArray) total(values [7]float64) float64 {
	sum := 0.0
	for i, v := range values {
		sum += round(a[i] * v)
	}
	return round(sum)
}

// TotalRelative is Total for a candidate whose relative fields are given
// apart (lrga: its country's association, for an EU candidate; tied: its
// oblast-country tie), so that a caller scoring many candidates need not
// copy their profiles.
func TotalRelative(target, candidate *Profile, lrga, tied bool, w *WeightArray) float64 {
	ua, eu := sides(target, candidate)
	association := associationValue(eu)
	if candidate.Side == European {
		association = 0
		if lrga {
			association = 1
		}
	}
	ties := 0.0
	if tied {
		ties = -1
	}
	return w.total([7]float64{
		NeedsMetValue(ua, eu), SizeValue(target.Population, candidate.Population), languageValue(target, candidate),
		association, openValue(candidate), partnerLoadValue(candidate), ties,
	})
}

// sides returns the Ukrainian and the EU one of a pair.
func sides(target, candidate *Profile) (ua, eu *Profile) {
	if target.Side == European {
		return candidate, target
	}
	return target, candidate
}

// factorValues returns the value of each factor, in the order of Factors.
func factorValues(target, candidate *Profile) [7]float64 {
	ua, eu := sides(target, candidate)
	return [7]float64{
		NeedsMetValue(ua, eu), SizeValue(target.Population, candidate.Population), languageValue(target, candidate),
		associationValue(eu), openValue(candidate), partnerLoadValue(candidate), tiesValue(ua, eu),
	}
}

// factorTexts explains each factor, in the order of Factors.
func factorTexts(target, candidate *Profile) [7]string {
	ua, eu := sides(target, candidate)
	return [7]string{
		needsMetText(target, ua, eu), sizeText(target, candidate), languageText(target, candidate),
		associationText(eu), openText(candidate), partnerLoadText(candidate), tiesText(ua, eu),
	}
}

// UrgencyPoints is an urgency's weight in NEEDS_MET: LOW 1, MEDIUM 2, HIGH 3.
func UrgencyPoints(u Urgency) float64 { return u.points() }

// round keeps six decimals, so that scores compare the same however the
// sum was formed.
func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// CapacityFactor is how much an offer of this capacity counts: 0.5 for
// one partner or mission, 0.75 for two, 1 for three or more.
func CapacityFactor(capacity int) float64 { return float64(1+min(max(capacity, 1), 3)) / 4 }

// bestCapacity returns the largest capacity of eu's offers in s, 0 if none.
func bestCapacity(eu *Profile, s sector.Sector) int {
	best := 0
	for _, o := range eu.Offers {
		if o.Sector == s {
			best = max(best, max(o.Capacity, 1))
		}
	}
	return best
}

// NeedsMetValue is the value of NEEDS_MET for a Ukrainian municipality's
// needs and an EU municipality's offers.
func NeedsMetValue(ua, eu *Profile) float64 {
	var total, met float64
	for _, n := range ua.Needs {
		total += n.Urgency.points()
		if c := bestCapacity(eu, n.Sector); c > 0 {
			met += n.Urgency.points() * CapacityFactor(c)
		}
	}
	if total == 0 {
		return 0
	}
	return met / total
}

func needsMetText(target, ua, eu *Profile) string {
	var parts []string
	for _, n := range ua.Needs {
		if c := bestCapacity(eu, n.Sector); c > 0 {
			parts = append(parts, fmt.Sprintf("%s (capacity %d), which %s needs%s", SectorPhrase(n.Sector), c, ua.Name, n.Urgency.adverb()))
		}
	}
	switch {
	case len(ua.Needs) == 0:
		return ua.Name + " has listed no needs yet"
	case len(parts) == 0:
		return eu.Name + " offers nothing that " + ua.Name + " needs"
	case target == ua:
		return "offers " + strings.Join(parts, "; and ")
	default:
		return "needs what " + eu.Name + " offers: " + strings.Join(parts, "; ")
	}
}

// SizeValue is the value of SIZE for two populations (0 when either is
// unknown).
func SizeValue(a, b int) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return max(0, 1-math.Abs(math.Log(float64(a)/float64(b)))/math.Ln10)
}

func sizeText(target, candidate *Profile) string {
	switch {
	case target.Population <= 0 || candidate.Population <= 0:
		return "the size of " + unknownSize(target, candidate) + " is not known"
	case SizeValue(target.Population, candidate.Population) >= 0.85:
		return fmt.Sprintf("is of a similar size (%s and %s inhabitants)", thousands(candidate.Population), thousands(target.Population))
	default:
		return fmt.Sprintf("has %s inhabitants, %s has %s", thousands(candidate.Population), target.Name, thousands(target.Population))
	}
}

func unknownSize(target, candidate *Profile) string {
	if candidate.Population <= 0 {
		return candidate.Name
	}
	return target.Name
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func languageValue(target, candidate *Profile) float64 {
	if target.Languages&candidate.Languages != 0 {
		return 1
	}
	return 0
}

func languageText(target, candidate *Profile) string {
	shared := target.Languages & candidate.Languages
	if shared == 0 {
		return "no staff language in common is known"
	}
	var names []string
	for m := uint64(shared); m != 0; m &= m - 1 {
		names = append(names, Languages[bits.TrailingZeros64(m)])
	}
	return "the staff share " + strings.Join(names, ", ")
}

func associationValue(eu *Profile) float64 {
	if eu.LRGA {
		return 1
	}
	return 0
}

func associationText(eu *Profile) string {
	if eu.LRGA {
		return "a national association can facilitate the partnership in " + eu.Name + "'s country"
	}
	return "no national association facilitates partnerships in " + eu.Name + "'s country yet"
}

func openValue(candidate *Profile) float64 {
	switch {
	case candidate.Wanted > 0:
		return 1
	case candidate.HasProfile:
		return 0.5
	}
	return 0
}

func openText(candidate *Profile) string {
	switch {
	case candidate.Wanted > 0:
		return fmt.Sprintf("is looking for %d more partner%s", candidate.Wanted, plural(candidate.Wanted))
	case candidate.HasProfile:
		return "is open to new partnerships"
	}
	return "has not said whether it looks for partners"
}

func partnerLoadValue(candidate *Profile) float64 { return -float64(min(candidate.Partners, 4)) / 4 }

func partnerLoadText(candidate *Profile) string {
	if candidate.Partners == 0 {
		return "has no partner yet"
	}
	return fmt.Sprintf("already has %d partner%s", candidate.Partners, plural(candidate.Partners))
}

func tiesValue(ua, eu *Profile) float64 {
	if eu.RegionTied || ua.RegionTied {
		return -1
	}
	return 0
}

func tiesText(ua, eu *Profile) string {
	if eu.RegionTied || ua.RegionTied {
		return fmt.Sprintf("%s's oblast and %s's country are already paired", ua.Name, eu.Name)
	}
	return fmt.Sprintf("%s's oblast and %s's country are not paired yet", ua.Name, eu.Name)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// SectorPhrase names a sector in a sentence, e.g. "water supply".
func SectorPhrase(s sector.Sector) string {
	if p, ok := sectorPhrases[s]; ok {
		return p
	}
	return strings.ToLower(strings.ReplaceAll(string(s), "_", " "))
}

var sectorPhrases = map[sector.Sector]string{
	sector.Water: "water supply", sector.Energy: "energy", sector.Health: "health care",
	sector.Waste: "waste management", sector.Education: "education", sector.Housing: "housing",
	sector.Transport: "transport", sector.Culture: "culture", sector.Tourism: "tourism",
	sector.SocialServices: "social services", sector.Youth: "youth work", sector.Governance: "local governance",
	sector.Economy: "local economy", sector.Environment: "environmental protection",
	sector.Digital: "digital services", sector.Infrastructure: "infrastructure",
}
