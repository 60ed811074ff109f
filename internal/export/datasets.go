package export

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/project"
)

// row is one exported record: its id, a value per column of its dataset
// and, for GeoJSON, its geometry (nil when it has no coordinates).
type row struct {
	id       int
	values   []any
	geometry *geometry
}

// geometry is a GeoJSON geometry.
type geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// source reads one dataset's rows that a where input selects, a page at a
// time, through the viewer's privacy rules.
type source struct {
	// count returns how many rows the export holds.
	count func(ctx context.Context) (int, error)
	// page returns up to limit rows with ids above after, by id.
	page func(ctx context.Context, after, limit int) ([]row, error)
}

// dataset is an exportable list: its columns and how to read it.
type dataset struct {
	columns []string
	open    func(c *ent.Client, where string) (source, error)
}

// Datasets are the exportable lists by name, as in /export/{name}.{format}.
var datasets = map[string]dataset{
	"partnerships": {
		columns: []string{"id", "ukrainian_municipality", "ukrainian_country", "european_municipality", "european_country",
			"phase", "status", "start_date", "end_date", "themes", "facilitators"},
		open: openPartnerships,
	},
	"municipalities": {
		columns: []string{"id", "name", "local_name", "kind", "country", "region", "population", "latitude", "longitude", "website"},
		open:    openMunicipalities,
	},
	"projects": {
		columns: []string{"id", "title", "status", "sector", "budget_eur", "partnership_id", "lead_municipality"},
		open:    openProjects,
	},
	"activities": {
		columns: []string{"id", "title", "kind", "start_date", "end_date", "date_note", "place", "online", "participants", "organiser"},
		open:    openActivities,
	},
}

// Datasets returns the names of the exportable lists.
func Datasets() []string { return []string{"partnerships", "municipalities", "projects", "activities"} }

// Columns returns the columns of the named dataset, nil if there is none.
func Columns(name string) []string { return datasets[name].columns }

// wherePredicate decodes where into input (an *ent.XWhereInput) and
// returns its predicate, none for an empty input (the generated inputs
// answer an "empty predicate" error for it), and the within filter.
func wherePredicate[P any](raw string, input interface{ P() (P, error) }) ([]P, json.RawMessage, error) {
	within, err := decodeWhere(raw, input)
	if err != nil || raw == "" {
		return nil, nil, err
	}
	p, err := input.P()
	if err != nil {
		if strings.Contains(err.Error(), "empty predicate") {
			return nil, within, nil
		}
		return nil, nil, err
	}
	return []P{p}, within, nil
}

// noWithin refuses a within filter on a list other than municipalities.
func noWithin[P any](ps []P, within json.RawMessage, err error) ([]P, error) {
	if err == nil && within != nil {
		err = errors.New("where: within filters municipalities only")
	}
	return ps, err
}

func openPartnerships(c *ent.Client, where string) (source, error) {
	ps, err := noWithin(wherePredicate[predicate.Partnership](where, &ent.PartnershipWhereInput{}))
	if err != nil {
		return source{}, err
	}
	query := func() *ent.PartnershipQuery { return c.Partnership.Query().Where(ps...) }
	names := &smallTables{client: c}
	return source{
		count: func(ctx context.Context) (int, error) { return query().Count(ctx) },
		page: func(ctx context.Context, after, limit int) ([]row, error) {
			list, err := query().Where(partnership.IDGT(after)).Order(partnership.ByID()).Limit(limit).WithFacilitators().All(ctx)
			if err != nil {
				return nil, err
			}
			towns, err := names.towns(ctx, list)
			if err != nil {
				return nil, err
			}
			return mapRows(list, func(p *ent.Partnership) row { return partnershipRow(p, towns, names) }), nil
		},
	}, nil
}

func partnershipRow(p *ent.Partnership, towns map[int]*ent.Municipality, names *smallTables) row {
	ua, eu := towns[p.UkrainianMunicipalityID], towns[p.EuropeanMunicipalityID]
	var facilitators []string
	for _, a := range p.Edges.Facilitators {
		facilitators = append(facilitators, a.Acronym)
	}
	r := row{id: p.ID, values: []any{p.ID, townName(ua), names.country(ua), townName(eu), names.country(eu),
		names.phases[p.PhaseID], string(p.Status), date(p.StartDate), date(p.EndDate),
		strings.Join(p.Themes, "; "), strings.Join(facilitators, "; ")}}
	if a, b := point(ua), point(eu); a != nil && b != nil {
		r.geometry = &geometry{Type: "LineString", Coordinates: [][]float64{a, b}}
	}
	return r
}

func openMunicipalities(c *ent.Client, where string) (source, error) {
	ps, within, err := wherePredicate[predicate.Municipality](where, &ent.MunicipalityWhereInput{})
	if err != nil {
		return source{}, err
	}
	if within != nil {
		box, err := decodeBox(within)
		if err != nil {
			return source{}, err
		}
		ps = append(ps, box.Predicate())
	}
	query := func() *ent.MunicipalityQuery { return c.Municipality.Query().Where(ps...) }
	names := &smallTables{client: c}
	return source{
		count: func(ctx context.Context) (int, error) { return query().Count(ctx) },
		page: func(ctx context.Context, after, limit int) ([]row, error) {
			if err := names.load(ctx); err != nil {
				return nil, err
			}
			list, err := query().Where(municipality.IDGT(after)).Order(municipality.ByID()).Limit(limit).WithRegion().All(ctx)
			return mapRows(list, func(m *ent.Municipality) row { return municipalityRow(m, names) }), err
		},
	}, nil
}

func municipalityRow(m *ent.Municipality, names *smallTables) row {
	region := ""
	if m.Edges.Region != nil {
		region = m.Edges.Region.Name
	}
	r := row{id: m.ID, values: []any{m.ID, m.Name, m.LocalName, string(m.Kind), names.country(m), region,
		m.Population, m.Latitude, m.Longitude, m.Website}}
	if p := point(m); p != nil {
		r.geometry = &geometry{Type: "Point", Coordinates: p}
	}
	return r
}

// smallTables holds the countries' codes and the phases' names, read once
// per export (they are a few dozen rows), so that a page of rows does not
// load them again.
type smallTables struct {
	client    *ent.Client
	loaded    bool
	countries map[int]string
	phases    map[int]string
}

// load reads the countries and phases the viewer may read, once.
func (t *smallTables) load(ctx context.Context) error {
	if t.loaded {
		return nil
	}
	countries, err := t.client.Country.Query().All(ctx)
	if err != nil {
		return err
	}
	phases, err := t.client.Phase.Query().All(ctx)
	if err != nil {
		return err
	}
	t.countries, t.phases = make(map[int]string, len(countries)), make(map[int]string, len(phases))
	for _, c := range countries {
		t.countries[c.ID] = c.Code
	}
	for _, p := range phases {
		t.phases[p.ID] = p.Name
	}
	t.loaded = true
	return nil
}

// towns loads both municipalities of each partnership in one statement.
func (t *smallTables) towns(ctx context.Context, list []*ent.Partnership) (map[int]*ent.Municipality, error) {
	if err := t.load(ctx); err != nil {
		return nil, err
	}
	ids := make([]int, 0, 2*len(list))
	for _, p := range list {
		ids = append(ids, p.UkrainianMunicipalityID, p.EuropeanMunicipalityID)
	}
	towns, err := t.client.Municipality.Query().Where(municipality.IDIn(ids...)).
		Select(municipality.FieldName, municipality.FieldCountryID, municipality.FieldLatitude, municipality.FieldLongitude).All(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int]*ent.Municipality, len(towns))
	for _, m := range towns {
		byID[m.ID] = m
	}
	return byID, nil
}

// country is a municipality's country code, empty if the viewer may not
// read the municipality.
func (t *smallTables) country(m *ent.Municipality) string {
	if m == nil {
		return ""
	}
	return t.countries[m.CountryID]
}

func openProjects(c *ent.Client, where string) (source, error) {
	ps, err := noWithin(wherePredicate[predicate.Project](where, &ent.ProjectWhereInput{}))
	if err != nil {
		return source{}, err
	}
	query := func() *ent.ProjectQuery { return c.Project.Query().Where(ps...) }
	return source{
		count: func(ctx context.Context) (int, error) { return query().Count(ctx) },
		page: func(ctx context.Context, after, limit int) ([]row, error) {
			list, err := query().Where(project.IDGT(after)).Order(project.ByID()).Limit(limit).WithLeadMunicipality().All(ctx)
			return mapRows(list, projectRow), err
		},
	}, nil
}

func projectRow(p *ent.Project) row {
	r := row{id: p.ID, values: []any{p.ID, p.Title, string(p.Status), string(p.Sector), p.BudgetEur, p.PartnershipID,
		townName(p.Edges.LeadMunicipality)}}
	if pt := point(p.Edges.LeadMunicipality); pt != nil {
		r.geometry = &geometry{Type: "Point", Coordinates: pt}
	}
	return r
}

func openActivities(c *ent.Client, where string) (source, error) {
	ps, err := noWithin(wherePredicate[predicate.Activity](where, &ent.ActivityWhereInput{}))
	if err != nil {
		return source{}, err
	}
	query := func() *ent.ActivityQuery { return c.Activity.Query().Where(ps...) }
	return source{
		count: func(ctx context.Context) (int, error) { return query().Count(ctx) },
		page: func(ctx context.Context, after, limit int) ([]row, error) {
			list, err := query().Where(activity.IDGT(after)).Order(activity.ByID()).Limit(limit).WithOrganiser().All(ctx)
			return mapRows(list, activityRow), err
		},
	}, nil
}

func activityRow(a *ent.Activity) row {
	organiser := ""
	if a.Edges.Organiser != nil {
		organiser = a.Edges.Organiser.Acronym
	}
	return row{id: a.ID, values: []any{a.ID, a.Title, string(a.Kind), date(a.StartDate), date(a.EndDate), a.DateNote,
		a.Place, a.Online, a.ParticipantCount, organiser}}
}

// mapRows turns loaded records into rows.
func mapRows[T any](list []T, f func(T) row) []row {
	rows := make([]row, len(list))
	for i, x := range list {
		rows[i] = f(x)
	}
	return rows
}

// townName is a municipality's English name, empty if the viewer may not
// read it.
func townName(m *ent.Municipality) string {
	if m == nil {
		return ""
	}
	return m.Name
}

// point is a municipality's [longitude, latitude], nil without both.
func point(m *ent.Municipality) []float64 {
	if m == nil || m.Latitude == nil || m.Longitude == nil {
		return nil
	}
	return []float64{*m.Longitude, *m.Latitude}
}

// date formats an optional date as YYYY-MM-DD, nil when unset.
func date(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(time.DateOnly)
}
