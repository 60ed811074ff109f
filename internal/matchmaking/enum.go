package matchmaking

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// enumValues lists the names of an enum's values, for Ent enum fields.
func enumValues[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

// marshalEnum writes an enum value as a GraphQL enum value.
func marshalEnum[T ~string](w io.Writer, v T) { _, _ = io.WriteString(w, strconv.Quote(string(v))) }

// unmarshalEnum reads a GraphQL enum value into *dst, one of all.
func unmarshalEnum[T ~string](dst *T, v any, all []T, what string) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%s must be a string", what)
	}
	if !slices.Contains(all, T(s)) {
		return fmt.Errorf("%q is not a %s", s, what)
	}
	*dst = T(s)
	return nil
}

// Urgency says how urgently a Ukrainian municipality needs help in a sector.
type Urgency string

// Urgencies, from least to most urgent.
const (
	UrgencyLow    Urgency = "LOW"
	UrgencyMedium Urgency = "MEDIUM"
	UrgencyHigh   Urgency = "HIGH"
)

// Urgencies lists every urgency.
var Urgencies = []Urgency{UrgencyLow, UrgencyMedium, UrgencyHigh}

// Values lists the urgency names, for Ent enum fields.
func (Urgency) Values() []string { return enumValues(Urgencies) }

// MarshalGQL writes the urgency as a GraphQL enum value.
func (u Urgency) MarshalGQL(w io.Writer) { marshalEnum(w, u) }

// UnmarshalGQL reads a GraphQL enum value.
func (u *Urgency) UnmarshalGQL(v any) error { return unmarshalEnum(u, v, Urgencies, "urgency") }

// points is the urgency's weight in NEEDS_MET: LOW 1, MEDIUM 2, HIGH 3.
func (u Urgency) points() float64 {
	switch u {
	case UrgencyHigh:
		return 3
	case UrgencyMedium:
		return 2
	default:
		return 1
	}
}

// adverb says the urgency in a reason's sentence.
func (u Urgency) adverb() string {
	switch u {
	case UrgencyHigh:
		return " urgently"
	case UrgencyLow:
		return " (not urgently)"
	default:
		return ""
	}
}
