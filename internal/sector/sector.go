// Package sector lists the fields of municipal work in which Ukrainian
// municipalities need help and EU municipalities offer it; projects,
// needs and offers are classified by them.
package sector

import (
	"fmt"
	"io"
	"strconv"
)

// Sector is one field of municipal work.
type Sector string

// The sectors known to the Hub.
const (
	Water          Sector = "WATER"
	Energy         Sector = "ENERGY"
	Health         Sector = "HEALTH"
	Waste          Sector = "WASTE"
	Education      Sector = "EDUCATION"
	Housing        Sector = "HOUSING"
	Transport      Sector = "TRANSPORT"
	Culture        Sector = "CULTURE"
	Tourism        Sector = "TOURISM"
	SocialServices Sector = "SOCIAL_SERVICES"
	Youth          Sector = "YOUTH"
	Governance     Sector = "GOVERNANCE"
	Economy        Sector = "ECONOMY"
	Environment    Sector = "ENVIRONMENT"
	Digital        Sector = "DIGITAL"
	Infrastructure Sector = "INFRASTRUCTURE"
)

// All lists every sector in display order.
var All = []Sector{Water, Energy, Health, Waste, Education, Housing, Transport, Culture,
	Tourism, SocialServices, Youth, Governance, Economy, Environment, Digital, Infrastructure}

// Values lists the sector names, for Ent enum fields.
func (Sector) Values() []string {
	out := make([]string, len(All))
	for i, s := range All {
		out[i] = string(s)
	}
	return out
}

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool {
	for _, known := range All {
		if s == known {
			return true
		}
	}
	return false
}

// String returns the sector's name.
func (s Sector) String() string { return string(s) }

// MarshalGQL writes the sector as a GraphQL enum value.
func (s Sector) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads a GraphQL enum value.
func (s *Sector) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("sector must be a string")
	}
	if !Sector(str).Valid() {
		return fmt.Errorf("%q is not a sector", str)
	}
	*s = Sector(str)
	return nil
}
