// Package matchsql loads what the matchmaking engine scores from the
// store, on SQLite and PostgreSQL alike, and finds a municipality's best
// candidates. The API asks a Cache (cache.go), which scores every
// candidate from an in-memory index kept exactly as fresh as the store;
// while that index reloads, Suggest answers with an SQL prefilter that
// does not read every candidate.
//
// The prefilter is exact. One SQL statement computes, for the candidates
// on the other side, an upper bound of each one's score (every factor but
// the two penalties, which need the candidates' partnerships) and returns
// the k best by that bound. The engine then scores those k in full. When
// the n-th best full score beats the k-th bound, no candidate left out can
// rank among the first n; otherwise k grows and the statement runs again.
// The statement first considers only the candidates with a record in a
// sector the municipality needs or offers (an index on sector finds them);
// the others can add at most the weights of the factors other than
// NEEDS_MET, and are read only when the best n do not beat that.
package matchsql

import (
	"context"
	"errors"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/matchdecline"
	"github.com/bridgesoftrust/hub/ent/matchprofile"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/need"
	"github.com/bridgesoftrust/hub/ent/offer"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/partnershiprequest"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// ErrNotInProgramme is returned for a municipality that is neither
// Ukrainian nor in an EU member state.
var ErrNotInProgramme = errors.New("the municipality is neither Ukrainian nor in an EU member state")

// Weights returns the weights in force: the defaults, overridden by those
// the secretariat set.
func Weights(ctx context.Context, client *ent.Client) (matchmaking.Weights, error) {
	rows, err := client.MatchWeight.Query().All(authz.SystemContext(ctx))
	if err != nil {
		return nil, err
	}
	overrides := matchmaking.Weights{}
	for _, r := range rows {
		overrides[r.Factor] = r.Weight
	}
	return matchmaking.With(overrides), nil
}

// target is the municipality suggestions are for, with what the
// statement needs to know about its side.
type target struct {
	*matchmaking.Profile
	countryID, regionID int
	// sideCountries are the countries of the other side; lrgaCountries
	// those with a national association that can facilitate.
	sideCountries, lrgaCountries []int
	// excluded are never suggested: itself, its partners, the candidates
	// it declined and those it has an open request with.
	excluded []int
}

// loadTarget loads municipality id and what surrounds it.
func loadTarget(ctx context.Context, client *ent.Client, id int, now time.Time) (*target, error) {
	m, err := client.Municipality.Query().Where(municipality.ID(id)).WithCountry().WithMatchProfile().Only(ctx)
	if err != nil {
		return nil, err
	}
	t := &target{Profile: profileOf(m), countryID: m.CountryID, regionID: valueOr(m.RegionID)}
	switch {
	case m.Edges.Country.Code == "UA":
		t.Side = matchmaking.Ukrainian
		t.sideCountries, err = client.Country.Query().Where(country.EuMember(true)).IDs(ctx)
	case m.Edges.Country.EuMember:
		t.Side = matchmaking.European
		t.sideCountries, err = client.Country.Query().Where(country.Code("UA")).IDs(ctx)
	default:
		return nil, ErrNotInProgramme
	}
	if err != nil {
		return nil, err
	}
	if err := loadRecords(ctx, client, map[int]*matchmaking.Profile{id: t.Profile}, now); err != nil {
		return nil, err
	}
	if t.lrgaCountries, err = lrgaCountries(ctx, client); err != nil {
		return nil, err
	}
	t.LRGA = contains(t.lrgaCountries, m.CountryID)
	t.excluded, err = excluded(ctx, client, id)
	return t, err
}

// lrgaCountries returns the countries with a national association that
// can facilitate partnerships.
func lrgaCountries(ctx context.Context, client *ent.Client) ([]int, error) {
	return client.Country.Query().Where(country.HasAssociationsWith(association.KindEQ(association.KindLRGA))).IDs(ctx)
}

// profileOf returns what the engine knows of m from its row and profile.
func profileOf(m *ent.Municipality) *matchmaking.Profile {
	p := &matchmaking.Profile{ID: m.ID, Name: m.Name, Population: valueOr(m.Population)}
	if mp := m.Edges.MatchProfile; mp != nil {
		p.HasProfile, p.Languages, p.Wanted = true, mp.LanguageMask, valueOr(mp.WantedPartners)
	}
	return p
}

// excluded returns the municipalities never suggested to id.
func excluded(ctx context.Context, client *ent.Client, id int) ([]int, error) {
	out := []int{id}
	partnerships, err := client.Partnership.Query().
		Where(partnership.Or(partnership.UkrainianMunicipalityID(id), partnership.EuropeanMunicipalityID(id))).
		Select(partnership.FieldUkrainianMunicipalityID, partnership.FieldEuropeanMunicipalityID).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range partnerships {
		out = append(out, p.UkrainianMunicipalityID+p.EuropeanMunicipalityID-id)
	}
	requests, err := client.PartnershipRequest.Query().
		Where(partnershiprequest.Or(partnershiprequest.UkrainianMunicipalityID(id), partnershiprequest.EuropeanMunicipalityID(id)),
			partnershiprequest.StatusIn(matchmaking.OpenStatuses...)).
		Select(partnershiprequest.FieldUkrainianMunicipalityID, partnershiprequest.FieldEuropeanMunicipalityID).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range requests {
		out = append(out, r.UkrainianMunicipalityID+r.EuropeanMunicipalityID-id)
	}
	declined, err := client.MatchDecline.Query().Where(matchdecline.MunicipalityID(id)).
		Select(matchdecline.FieldCandidateID).Ints(ctx)
	return append(out, declined...), err
}

// loadRecords adds the needs and offers valid at now to the profiles.
func loadRecords(ctx context.Context, client *ent.Client, profiles map[int]*matchmaking.Profile, now time.Time) error {
	ids := keys(profiles)
	needs, err := client.Need.Query().
		Where(need.MunicipalityIDIn(ids...), validNeed(now)).Order(need.ByID()).All(ctx)
	if err != nil {
		return err
	}
	for _, n := range needs {
		p := profiles[n.MunicipalityID]
		p.Needs = append(p.Needs, matchmaking.Need{Sector: n.Sector, Urgency: n.Urgency})
	}
	offers, err := client.Offer.Query().
		Where(offer.MunicipalityIDIn(ids...), validOffer(now)).Order(offer.ByID()).All(ctx)
	if err != nil {
		return err
	}
	for _, o := range offers {
		p := profiles[o.MunicipalityID]
		p.Offers = append(p.Offers, matchmaking.Offer{Sector: o.Sector, Capacity: o.Capacity})
	}
	return nil
}

func validNeed(now time.Time) predicate.Need {
	return need.And(need.Or(need.ValidFromIsNil(), need.ValidFromLTE(now)), need.Or(need.ValidUntilIsNil(), need.ValidUntilGTE(now)))
}

func validOffer(now time.Time) predicate.Offer {
	return offer.And(offer.Or(offer.ValidFromIsNil(), offer.ValidFromLTE(now)), offer.Or(offer.ValidUntilIsNil(), offer.ValidUntilGTE(now)))
}

// sectors returns the sectors of the target's records that candidates'
// records must match: its needs' sectors (Ukrainian) or its offers' (EU).
func (t *target) sectors() []sector.Sector {
	var out []sector.Sector
	add := func(s sector.Sector) {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	if t.Side == matchmaking.Ukrainian {
		for _, n := range t.Needs {
			add(n.Sector)
		}
		return out
	}
	for _, o := range t.Offers {
		add(o.Sector)
	}
	return out
}

// profileOpen matches the municipalities whose profile is open or absent.
func profileOpen() predicate.Municipality {
	return municipality.Not(municipality.HasMatchProfileWith(matchprofile.Open(false)))
}

func valueOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func keys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
