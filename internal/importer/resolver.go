package importer

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/ent/region"
	_ "github.com/bridgesoftrust/hub/ent/runtime" // Schema defaults, validators and hooks.
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// lookupChunk is how many keys one lookup query names at most.
const lookupChunk = 5000

// RegionKey names a region by its country code and English name.
type RegionKey struct{ Country, Name string }

// MunicipalityKey names a municipality by its country code and English name.
type MunicipalityKey struct{ Country, Name string }

// RegionSpec describes a region to find or create.
type RegionSpec struct {
	Country, Name string
	// Kind defaults to the schema's default (REGION).
	Kind         region.Kind
	Translations i18n.Texts
}

// Key returns the region's natural key.
func (s RegionSpec) Key() RegionKey { return RegionKey{s.Country, s.Name} }

// MunicipalitySpec describes a municipality to find or create. Only
// Country and Name identify it; the other fields are used on creation.
type MunicipalitySpec struct {
	Country, Name string
	// Region is the English name of its region in Country, if known.
	Region       string
	LocalName    string
	Translations i18n.Texts
	// Kind defaults to HROMADA in Ukraine and MUNICIPALITY elsewhere.
	Kind                municipality.Kind
	Population          *int
	Latitude, Longitude *float64
	Needs, Offers       []sector.Sector
}

// Key returns the municipality's natural key.
func (s MunicipalitySpec) Key() MunicipalityKey { return MunicipalityKey{s.Country, s.Name} }

// PhaseSpec describes a programme phase to find (by Name) or create.
type PhaseSpec struct {
	Name, Title string
	Description i18n.Texts
	Start, End  *time.Time
}

// AssociationSpec describes an association to find (by Acronym) or create.
type AssociationSpec struct {
	Acronym string
	// Name defaults to the acronym.
	Name string
	// Kind defaults to LRGA.
	Kind association.Kind
	// Country is the code of its country; empty for European networks.
	Country string
	Website string
}

// Resolver finds the rows an import or seed names by their natural keys
// (country code, region name within country, municipality name within
// country, phase name, association acronym, partnership pair) and creates
// the missing ones in batches. It caches what it has seen and tallies what
// it found, created and updated. Use one Resolver per transaction.
type Resolver struct {
	client         *ent.Client
	logger         *slog.Logger
	countries      *entities[string, ent.Country]
	regions        *entities[RegionKey, ent.Region]
	municipalities *entities[MunicipalityKey, ent.Municipality]
	phases         *entities[string, ent.Phase]
	associations   *entities[string, ent.Association]
	partnerships   *entities[PairKey, ent.Partnership]
	// origins lists the changes and labels them for the audit log.
	origins *origins
	// keepPartnerships makes changes to stored partnerships conflicts
	// instead of updates (an import without Options.Update).
	keepPartnerships bool
}

// NewResolver returns a Resolver working through client, usually a
// transactional client. A nil logger logs to slog.Default().
func NewResolver(client *ent.Client, logger *slog.Logger) *Resolver {
	if logger == nil {
		logger = slog.Default()
	}
	return &Resolver{
		client: client, logger: logger,
		countries:      newEntities[string, ent.Country](),
		regions:        newEntities[RegionKey, ent.Region](),
		municipalities: newEntities[MunicipalityKey, ent.Municipality](),
		phases:         newEntities[string, ent.Phase](),
		associations:   newEntities[string, ent.Association](),
		partnerships:   newEntities[PairKey, ent.Partnership](),
		origins:        newOrigins(""),
	}
}

// String writes the key as "Kharkiv (UA)".
func (k RegionKey) String() string { return fmt.Sprintf("%s (%s)", k.Name, k.Country) }

// String writes the key as "Kuldīga (LV)".
func (k MunicipalityKey) String() string { return fmt.Sprintf("%s (%s)", k.Name, k.Country) }

// Changes lists what the Resolver created and updated, and the updates of
// partnerships it refused as conflicts, in order.
func (r *Resolver) Changes() []Change { return append([]Change(nil), r.origins.changes...) }

// Client returns the client the Resolver works through.
func (r *Resolver) Client() *ent.Client { return r.client }

// Municipality returns the resolved municipality, or nil.
func (r *Resolver) Municipality(k MunicipalityKey) *ent.Municipality {
	return r.municipalities.get(k)
}

// Association returns the resolved association with the acronym, or nil.
func (r *Resolver) Association(acronym string) *ent.Association {
	return r.associations.get(acronym)
}

// Partnership returns the resolved partnership of the pair, or nil.
func (r *Resolver) Partnership(k PairKey) *ent.Partnership { return r.partnerships.get(k) }

// Tally returns the counts of what the Resolver found, created and updated.
func (r *Resolver) Tally() Tally {
	return Tally{
		Countries: r.countries.counts(), Regions: r.regions.counts(),
		Municipalities: r.municipalities.counts(), Phases: r.phases.counts(),
		Associations: r.associations.counts(), Partnerships: r.partnerships.counts(),
	}
}

// codeOf returns the code of a resolved country by its id.
func (r *Resolver) codeOf(id int) string {
	for code, c := range r.countries.byKey {
		if c.ID == id {
			return code
		}
	}
	return ""
}

// countryID returns the id of a resolved country or an error naming it.
func (r *Resolver) countryID(code string) (int, error) {
	c := r.countries.get(code)
	if c == nil {
		return 0, fmt.Errorf("country %q has not been resolved", code)
	}
	return c.ID, nil
}

// EnsureCountries finds or creates the countries with the codes. It
// creates only countries whose names it knows: Ukraine and the EU members.
func (r *Resolver) EnsureCountries(ctx context.Context, codes ...string) error {
	keys, _ := distinct(codes, func(c string) string { return c })
	return r.countries.ensure(ctx, keys, r.findCountries, countryCode, r.createCountries)
}

func (r *Resolver) findCountries(ctx context.Context, codes []string) ([]*ent.Country, error) {
	return r.client.Country.Query().Where(country.CodeIn(codes...)).All(ctx)
}

func countryCode(c *ent.Country) string { return c.Code }

func (r *Resolver) createCountries(ctx context.Context, codes []string) ([]*ent.Country, error) {
	return createAll(ctx, r, "countries", codes, len(country.Columns),
		func(code string) (*ent.CountryCreate, error) {
			names, ok := countryNames[code]
			if !ok {
				return nil, fmt.Errorf("country %q is not known to the Hub (only Ukraine and EU member states are created on import)", code)
			}
			return r.client.Country.Create().SetCode(code).SetName(names[0]).
				SetNameTranslations(i18n.Texts{i18n.Ukrainian: names[1]}).
				SetEuMember(code != Ukraine), nil
		},
		func(b *ent.CountryCreate) ent.Mutation { return b.Mutation() },
		func(ctx context.Context, bs []*ent.CountryCreate) ([]*ent.Country, error) {
			return r.client.Country.CreateBulk(bs...).Save(ctx)
		})
}

// EnsureRegions finds or creates the regions; their countries are
// resolved first.
func (r *Resolver) EnsureRegions(ctx context.Context, specs ...RegionSpec) error {
	keys, byKey := distinct(specs, RegionSpec.Key)
	if err := r.EnsureCountries(ctx, countriesOf(keys, func(k RegionKey) string { return k.Country })...); err != nil {
		return err
	}
	find := func(ctx context.Context, keys []RegionKey) ([]*ent.Region, error) {
		return findByCountry(ctx, r, keys, func(k RegionKey) (string, string) { return k.Country, k.Name },
			func(ctx context.Context, countryID int, names []string) ([]*ent.Region, error) {
				return r.client.Region.Query().Where(region.CountryID(countryID), region.NameIn(names...)).All(ctx)
			})
	}
	keyOf := func(g *ent.Region) RegionKey { return RegionKey{r.codeOf(g.CountryID), g.Name} }
	create := func(ctx context.Context, keys []RegionKey) ([]*ent.Region, error) {
		return createAll(ctx, r, "regions", keys, len(region.Columns),
			func(k RegionKey) (*ent.RegionCreate, error) { return r.newRegion(byKey[k]) },
			func(b *ent.RegionCreate) ent.Mutation { return b.Mutation() },
			func(ctx context.Context, bs []*ent.RegionCreate) ([]*ent.Region, error) {
				return r.client.Region.CreateBulk(bs...).Save(ctx)
			})
	}
	return r.regions.ensure(ctx, keys, find, keyOf, create)
}

func (r *Resolver) newRegion(s RegionSpec) (*ent.RegionCreate, error) {
	id, err := r.countryID(s.Country)
	if err != nil {
		return nil, err
	}
	b := r.client.Region.Create().SetCountryID(id).SetName(s.Name)
	if s.Kind != "" {
		b.SetKind(s.Kind)
	}
	if len(s.Translations) > 0 {
		b.SetNameTranslations(s.Translations)
	}
	return b, nil
}

// LoadMunicipalities caches the stored municipalities with the keys,
// with their regions, without creating any; their countries must have
// been resolved. Keys of unresolved countries are skipped.
func (r *Resolver) LoadMunicipalities(ctx context.Context, keys []MunicipalityKey) error {
	return r.municipalities.load(ctx, keys, r.findMunicipalities, r.municipalityKey)
}

func (r *Resolver) findMunicipalities(ctx context.Context, keys []MunicipalityKey) ([]*ent.Municipality, error) {
	return findByCountry(ctx, r, keys, func(k MunicipalityKey) (string, string) { return k.Country, k.Name },
		func(ctx context.Context, countryID int, names []string) ([]*ent.Municipality, error) {
			return r.client.Municipality.Query().
				Where(municipality.CountryID(countryID), municipality.NameIn(names...)).
				WithRegion().All(ctx)
		})
}

func (r *Resolver) municipalityKey(m *ent.Municipality) MunicipalityKey {
	return MunicipalityKey{r.codeOf(m.CountryID), m.Name}
}

// EnsureMunicipalities finds or creates the municipalities; their
// countries and regions must have been resolved.
func (r *Resolver) EnsureMunicipalities(ctx context.Context, specs []MunicipalitySpec) error {
	keys, byKey := distinct(specs, MunicipalitySpec.Key)
	create := func(ctx context.Context, keys []MunicipalityKey) ([]*ent.Municipality, error) {
		return createAll(ctx, r, "municipalities", keys, len(municipality.Columns),
			func(k MunicipalityKey) (*ent.MunicipalityCreate, error) { return r.newMunicipality(byKey[k]) },
			func(b *ent.MunicipalityCreate) ent.Mutation { return b.Mutation() },
			func(ctx context.Context, bs []*ent.MunicipalityCreate) ([]*ent.Municipality, error) {
				return r.client.Municipality.CreateBulk(bs...).Save(ctx)
			})
	}
	return r.municipalities.ensure(ctx, keys, r.findMunicipalities, r.municipalityKey, create)
}

func (r *Resolver) newMunicipality(s MunicipalitySpec) (*ent.MunicipalityCreate, error) {
	id, err := r.countryID(s.Country)
	if err != nil {
		return nil, err
	}
	b := r.client.Municipality.Create().SetCountryID(id).SetName(s.Name).
		SetNillablePopulation(s.Population).SetNillableLatitude(s.Latitude).SetNillableLongitude(s.Longitude)
	if s.Region != "" {
		g := r.regions.get(RegionKey{s.Country, s.Region})
		if g == nil {
			return nil, fmt.Errorf("region %q of %s has not been resolved", s.Region, s.Country)
		}
		b.SetRegionID(g.ID)
	}
	switch {
	case s.Kind != "":
		b.SetKind(s.Kind)
	case s.Country == Ukraine:
		b.SetKind(municipality.KindHROMADA)
	}
	setIf(s.LocalName != "", func() { b.SetLocalName(s.LocalName) })
	setIf(len(s.Translations) > 0, func() { b.SetNameTranslations(s.Translations) })
	setIf(len(s.Needs) > 0, func() { b.SetNeeds(s.Needs) })
	setIf(len(s.Offers) > 0, func() { b.SetOffers(s.Offers) })
	return b, nil
}

// EnsurePhases finds or creates the phases by name.
func (r *Resolver) EnsurePhases(ctx context.Context, specs ...PhaseSpec) error {
	keys, byKey := distinct(specs, func(s PhaseSpec) string { return s.Name })
	find := func(ctx context.Context, names []string) ([]*ent.Phase, error) {
		return r.client.Phase.Query().Where(phase.NameIn(names...)).All(ctx)
	}
	create := func(ctx context.Context, names []string) ([]*ent.Phase, error) {
		return createAll(ctx, r, "phases", names, len(phase.Columns),
			func(name string) (*ent.PhaseCreate, error) {
				s := byKey[name]
				b := r.client.Phase.Create().SetName(s.Name).SetNillableStartDate(s.Start).SetNillableEndDate(s.End)
				setIf(s.Title != "", func() { b.SetTitle(s.Title) })
				setIf(len(s.Description) > 0, func() { b.SetDescription(s.Description) })
				return b, nil
			},
			func(b *ent.PhaseCreate) ent.Mutation { return b.Mutation() },
			func(ctx context.Context, bs []*ent.PhaseCreate) ([]*ent.Phase, error) {
				return r.client.Phase.CreateBulk(bs...).Save(ctx)
			})
	}
	return r.phases.ensure(ctx, keys, find, func(p *ent.Phase) string { return p.Name }, create)
}

// EnsureAssociations finds or creates the associations by acronym; the
// countries they name are resolved first.
func (r *Resolver) EnsureAssociations(ctx context.Context, specs ...AssociationSpec) error {
	keys, byKey := distinct(specs, func(s AssociationSpec) string { return s.Acronym })
	var codes []string
	for _, s := range byKey {
		setIf(s.Country != "", func() { codes = append(codes, s.Country) })
	}
	if err := r.EnsureCountries(ctx, sortedStrings(codes)...); err != nil {
		return err
	}
	find := func(ctx context.Context, acronyms []string) ([]*ent.Association, error) {
		return r.client.Association.Query().Where(association.AcronymIn(acronyms...)).All(ctx)
	}
	create := func(ctx context.Context, acronyms []string) ([]*ent.Association, error) {
		return createAll(ctx, r, "associations", acronyms, len(association.Columns),
			func(acronym string) (*ent.AssociationCreate, error) { return r.newAssociation(byKey[acronym]) },
			func(b *ent.AssociationCreate) ent.Mutation { return b.Mutation() },
			func(ctx context.Context, bs []*ent.AssociationCreate) ([]*ent.Association, error) {
				return r.client.Association.CreateBulk(bs...).Save(ctx)
			})
	}
	return r.associations.ensure(ctx, keys, find, func(a *ent.Association) string { return a.Acronym }, create)
}

func (r *Resolver) newAssociation(s AssociationSpec) (*ent.AssociationCreate, error) {
	b := r.client.Association.Create().SetAcronym(s.Acronym).SetName(s.Acronym)
	setIf(s.Name != "", func() { b.SetName(s.Name) })
	setIf(s.Kind != "", func() { b.SetKind(s.Kind) })
	setIf(s.Website != "", func() { b.SetWebsite(s.Website) })
	if s.Country != "" {
		id, err := r.countryID(s.Country)
		if err != nil {
			return nil, err
		}
		b.SetCountryID(id)
	}
	return b, nil
}

// createAll builds one builder per key and saves them in batches; each
// creation is listed among the changes, its mutation (which mutation
// returns) labelled with the line that asked for it.
func createAll[K, B, E any](ctx context.Context, r *Resolver, what string, keys []K, columns int,
	build func(K) (B, error), mutation func(B) ent.Mutation, save func(context.Context, []B) ([]*E, error),
) ([]*E, error) {
	entity := singular[what]
	out := make([]*E, 0, len(keys))
	err := InBatches(ctx, r.logger, what, keys, columns, func(ctx context.Context, chunk []K) error {
		builders := make([]B, 0, len(chunk))
		for _, k := range chunk {
			b, err := build(k)
			if err != nil {
				return err
			}
			builders = append(builders, b)
			r.origins.record(mutation(b), OpCreate, entity, k, nil)
		}
		saved, err := save(ctx, builders)
		out = append(out, saved...)
		return err
	})
	return out, err
}

// singular names the entity of each table createAll saves to.
var singular = map[string]string{
	"countries": "country", "regions": "region", "municipalities": "municipality",
	"phases": "phase", "associations": "association", "partnerships": "partnership",
}

// findByCountry loads entities keyed by country code and name with one
// query per country and chunk of names. Keys of countries that have not
// been resolved are skipped: nothing of theirs can be stored.
func findByCountry[K any, E any](ctx context.Context, r *Resolver, keys []K, split func(K) (string, string),
	query func(ctx context.Context, countryID int, names []string) ([]*E, error),
) ([]*E, error) {
	byCode := map[string][]string{}
	var codes []string
	for _, k := range keys {
		code, name := split(k)
		if _, seen := byCode[code]; !seen {
			codes = append(codes, code)
		}
		byCode[code] = append(byCode[code], name)
	}
	var out []*E
	for _, code := range codes {
		c := r.countries.get(code)
		if c == nil {
			continue
		}
		for _, names := range chunks(byCode[code], lookupChunk) {
			list, err := query(ctx, c.ID, names)
			if err != nil {
				return nil, err
			}
			out = append(out, list...)
		}
	}
	return out, nil
}

// countriesOf returns the distinct country codes of keys.
func countriesOf[K any](keys []K, code func(K) string) []string {
	codes, _ := distinct(keys, code)
	return codes
}

// setIf calls set when cond holds; it keeps optional builder fields short.
func setIf(cond bool, set func()) {
	if cond {
		set()
	}
}
