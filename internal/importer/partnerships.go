package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/validation"
)

// PairKey names a partnership by its Ukrainian and its EU municipality.
type PairKey struct{ Ukrainian, European MunicipalityKey }

// String writes the pair as "Chuhuiv (UA) – Kuldīga (LV)".
func (k PairKey) String() string {
	return fmt.Sprintf("%s (%s) – %s (%s)", k.Ukrainian.Name, k.Ukrainian.Country, k.European.Name, k.European.Country)
}

// PartnershipSpec describes a partnership to find (by its pair) and bring
// up to date, or to create.
type PartnershipSpec struct {
	Ukrainian, European MunicipalityKey
	// Phase is the name of the phase.
	Phase string
	// Status, Start and End are set when given; empty keeps the stored
	// value (or the schema default on creation).
	Status     partnership.Status
	Start, End *time.Time
	// Themes and Source replace the stored values when not nil.
	Themes *[]string
	Source *string
	// Facilitators are acronyms of associations. Those missing from a stored
	// partnership are added; none is removed, as facilitators may also be
	// recorded elsewhere.
	Facilitators []string
}

// Key returns the partnership's natural key.
func (s PartnershipSpec) Key() PairKey { return PairKey{s.Ukrainian, s.European} }

// EnsurePartnerships finds the partnerships of the specs' pairs, updates
// those that differ and creates the missing ones in batches. The
// municipalities, phases and associations named must have been resolved.
func (r *Resolver) EnsurePartnerships(ctx context.Context, specs []PartnershipSpec) error {
	keys, byKey := distinct(specs, PartnershipSpec.Key)
	pairs := make(map[[2]int]PairKey, len(keys))
	for _, k := range keys {
		ua, eu := r.municipalities.get(k.Ukrainian), r.municipalities.get(k.European)
		if ua == nil || eu == nil {
			return fmt.Errorf("partnership %s: municipalities have not been resolved", k)
		}
		pairs[[2]int{ua.ID, eu.ID}] = k
	}
	keyOf := func(p *ent.Partnership) PairKey {
		return pairs[[2]int{p.UkrainianMunicipalityID, p.EuropeanMunicipalityID}]
	}
	find := func(ctx context.Context, keys []PairKey) ([]*ent.Partnership, error) {
		return r.findPartnerships(ctx, keys, pairs)
	}
	if err := r.partnerships.load(ctx, keys, find, keyOf); err != nil {
		return err
	}
	if err := r.updatePartnerships(ctx, keys, byKey); err != nil {
		return err
	}
	create := func(ctx context.Context, keys []PairKey) ([]*ent.Partnership, error) {
		return createAll(ctx, r, "partnerships", keys, len(partnership.Columns),
			func(k PairKey) (*ent.PartnershipCreate, error) { return r.newPartnership(byKey[k]) },
			func(b *ent.PartnershipCreate) ent.Mutation { return b.Mutation() },
			func(ctx context.Context, bs []*ent.PartnershipCreate) ([]*ent.Partnership, error) {
				// The batch's pairs were checked above: each Ukrainian side
				// is resolved in UA, each EU side in an EU member state, and
				// existing pairs were loaded, so only missing ones remain.
				return r.client.Partnership.CreateBulk(bs...).Save(validation.WithBatchChecked(ctx))
			})
	}
	return r.partnerships.ensure(ctx, keys, find, keyOf, create)
}

// findPartnerships loads the stored partnerships among pairs, with the ids
// of their facilitators, querying by Ukrainian municipality in chunks.
func (r *Resolver) findPartnerships(ctx context.Context, keys []PairKey, pairs map[[2]int]PairKey) ([]*ent.Partnership, error) {
	var uaIDs []int
	for _, k := range keys {
		uaIDs = append(uaIDs, r.municipalities.get(k.Ukrainian).ID)
	}
	uaIDs, _ = distinct(uaIDs, func(id int) int { return id })
	var out []*ent.Partnership
	for _, ids := range chunks(uaIDs, lookupChunk) {
		list, err := r.client.Partnership.Query().
			Where(partnership.UkrainianMunicipalityIDIn(ids...)).
			WithFacilitators(func(q *ent.AssociationQuery) { q.Select(association.FieldID, association.FieldAcronym) }).
			All(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			if _, ok := pairs[[2]int{p.UkrainianMunicipalityID, p.EuropeanMunicipalityID}]; ok {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// updatePartnerships brings the stored partnerships among keys up to date,
// or, when the Resolver keeps partnerships, records each change asked for
// as a conflict and writes nothing.
func (r *Resolver) updatePartnerships(ctx context.Context, keys []PairKey, byKey map[PairKey]PartnershipSpec) error {
	for _, k := range keys {
		p := r.partnerships.get(k)
		if p == nil {
			continue
		}
		changed, err := r.updatePartnership(ctx, k, p, byKey[k])
		if err != nil {
			return fmt.Errorf("updating partnership %s: %w", k, err)
		}
		if changed {
			r.partnerships.note(k, updated)
		}
	}
	return nil
}

// updatePartnership saves the fields of s that differ from p, lists them,
// and reports whether there were any.
func (r *Resolver) updatePartnership(ctx context.Context, k PairKey, p *ent.Partnership, s PartnershipSpec) (bool, error) {
	phaseID, facilitators, err := r.partnershipRefs(s)
	if err != nil {
		return false, err
	}
	u := r.client.Partnership.UpdateOne(p)
	var fields []FieldChange
	change := func(differs bool, field string, old, new func() string, set func()) {
		if differs {
			set()
			fields = append(fields, FieldChange{Field: field, Old: old(), New: new()})
		}
	}
	str := func(s string) func() string { return func() string { return s } }
	change(p.PhaseID != phaseID, "phase", func() string { return r.phaseName(ctx, p.PhaseID) }, str(s.Phase),
		func() { u.SetPhaseID(phaseID) })
	change(s.Status != "" && p.Status != s.Status, "status", str(p.Status.String()), str(s.Status.String()),
		func() { u.SetStatus(s.Status) })
	change(s.Start != nil && !sameTime(p.StartDate, s.Start), "start_date", str(day(p.StartDate)), str(day(s.Start)),
		func() { u.SetStartDate(*s.Start) })
	change(s.End != nil && !sameTime(p.EndDate, s.End), "end_date", str(day(p.EndDate)), str(day(s.End)),
		func() { u.SetEndDate(*s.End) })
	change(s.Themes != nil && !slices.Equal(p.Themes, *s.Themes), "themes", str(list(p.Themes)), func() string { return list(*s.Themes) },
		func() { setThemes(u, *s.Themes) })
	change(s.Source != nil && p.Source != *s.Source, "source", str(p.Source), func() string { return *s.Source },
		func() { setSource(u, *s.Source) })
	added := missingIDs(facilitators, p.Edges.Facilitators)
	change(len(added) > 0, "facilitators", func() string { return acronyms(p.Edges.Facilitators) },
		func() string { return list(s.Facilitators) }, func() { u.AddFacilitatorIDs(added...) })
	if len(fields) == 0 {
		return false, nil
	}
	if r.keepPartnerships {
		r.origins.record(nil, OpConflict, "partnership", k, fields)
		return false, nil
	}
	r.origins.record(u.Mutation(), OpUpdate, "partnership", k, fields)
	return true, u.Exec(ctx)
}

// phaseName returns the name of the phase with the id, "" if unknown.
func (r *Resolver) phaseName(ctx context.Context, id int) string {
	for name, p := range r.phases.byKey {
		if p.ID == id {
			return name
		}
	}
	p, err := r.client.Phase.Get(ctx, id)
	if err != nil {
		return ""
	}
	return p.Name
}

// acronyms lists the acronyms of associations.
func acronyms(have []*ent.Association) string {
	out := make([]string, 0, len(have))
	for _, a := range have {
		out = append(out, a.Acronym)
	}
	return list(sortedStrings(out))
}

// list writes a list as the file's cells do: items separated by "; ".
func list(items []string) string { return strings.Join(items, listSeparator+" ") }

// day writes a date as 2006-01-02, or "" for none.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func setThemes(u *ent.PartnershipUpdateOne, themes []string) {
	if len(themes) == 0 {
		u.ClearThemes()
		return
	}
	u.SetThemes(themes)
}

func setSource(u *ent.PartnershipUpdateOne, source string) {
	if source == "" {
		u.ClearSource()
		return
	}
	u.SetSource(source)
}

// newPartnership builds the creation of s.
func (r *Resolver) newPartnership(s PartnershipSpec) (*ent.PartnershipCreate, error) {
	phaseID, facilitators, err := r.partnershipRefs(s)
	if err != nil {
		return nil, err
	}
	ua, eu := r.municipalities.get(s.Ukrainian), r.municipalities.get(s.European)
	b := r.client.Partnership.Create().
		SetUkrainianMunicipalityID(ua.ID).SetEuropeanMunicipalityID(eu.ID).SetPhaseID(phaseID).
		SetNillableStartDate(s.Start).SetNillableEndDate(s.End).AddFacilitatorIDs(facilitators...)
	setIf(s.Status != "", func() { b.SetStatus(s.Status) })
	setIf(s.Themes != nil && len(*s.Themes) > 0, func() { b.SetThemes(*s.Themes) })
	setIf(s.Source != nil && *s.Source != "", func() { b.SetSource(*s.Source) })
	return b, nil
}

// partnershipRefs returns the ids of the phase and facilitators s names.
func (r *Resolver) partnershipRefs(s PartnershipSpec) (phaseID int, facilitators []int, err error) {
	p := r.phases.get(s.Phase)
	if p == nil {
		return 0, nil, fmt.Errorf("phase %q has not been resolved", s.Phase)
	}
	for _, acronym := range s.Facilitators {
		a := r.associations.get(acronym)
		if a == nil {
			return 0, nil, fmt.Errorf("association %q has not been resolved", acronym)
		}
		facilitators = append(facilitators, a.ID)
	}
	return p.ID, facilitators, nil
}

// missingIDs returns the ids not among the associations have.
func missingIDs(ids []int, have []*ent.Association) []int {
	var out []int
	for _, id := range ids {
		if !slices.ContainsFunc(have, func(a *ent.Association) bool { return a.ID == id }) {
			out = append(out, id)
		}
	}
	return out
}

// sameTime reports whether the stored time t is the instant want.
func sameTime(t, want *time.Time) bool { return t != nil && t.Equal(*want) }
