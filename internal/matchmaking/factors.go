package matchmaking

import (
	"fmt"
	"io"
	"math"
)

// Factor is one reason two municipalities fit, or do not.
type Factor string

// The factors of a pair's score (see the package comment for each value).
const (
	NeedsMet    Factor = "NEEDS_MET"
	Size        Factor = "SIZE"
	Language    Factor = "LANGUAGE"
	Association Factor = "ASSOCIATION"
	Open        Factor = "OPEN"
	PartnerLoad Factor = "PARTNER_LOAD"
	RegionTies  Factor = "REGION_TIES"
)

// Factors lists every factor, in the order reasons with equal
// contributions are listed.
var Factors = []Factor{NeedsMet, Size, Language, Association, Open, PartnerLoad, RegionTies}

// Values lists the factor names, for Ent enum fields.
func (Factor) Values() []string { return enumValues(Factors) }

// MarshalGQL writes the factor as a GraphQL enum value.
func (f Factor) MarshalGQL(w io.Writer) { marshalEnum(w, f) }

// UnmarshalGQL reads a GraphQL enum value.
func (f *Factor) UnmarshalGQL(v any) error { return unmarshalEnum(f, v, Factors, "match factor") }

// penalty reports whether the factor holds a pair back (its values are in
// [-1, 0]) rather than favouring it.
func (f Factor) penalty() bool { return f == PartnerLoad || f == RegionTies }

// Weights maps each factor to its weight. A factor missing from the map
// weighs nothing.
type Weights map[Factor]float64

// DefaultWeights are the weights of the factors until the secretariat
// changes them (setMatchWeight). This is the one place they are written.
// Meeting the needs weighs most; size, language and the association that
// can facilitate come next; the penalties spread partnerships.
var DefaultWeights = Weights{
	NeedsMet:    0.45,
	Size:        0.15,
	Language:    0.10,
	Association: 0.10,
	Open:        0.05,
	PartnerLoad: 0.10,
	RegionTies:  0.05,
}

// MaxWeight bounds a factor's weight.
const MaxWeight = 10

// ValidateWeight checks a weight the secretariat sets.
func ValidateWeight(w float64) error {
	if math.IsNaN(w) || w < 0 || w > MaxWeight {
		return fmt.Errorf("a weight is a number from 0 to %d", MaxWeight)
	}
	return nil
}

// With returns the default weights overridden by the given ones.
func With(overrides Weights) Weights {
	w := Weights{}
	for f, v := range DefaultWeights {
		w[f] = v
	}
	for f, v := range overrides {
		w[f] = v
	}
	return w
}

// maxBonus is the most that the factors other than NEEDS_MET can add to a
// score: an upper bound the SQL prefilter uses.
func (w Weights) maxBonus() float64 {
	sum := 0.0
	for _, f := range Factors {
		if f != NeedsMet && !f.penalty() {
			sum += w[f]
		}
	}
	return sum
}
