package export

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/ent/region"
	"github.com/bridgesoftrust/hub/internal/db"
)

// kind is how a column's values are written.
type kind int

const (
	// text is a string, empty when null.
	text kind = iota
	// integer is a whole number, null when unset.
	integer
	// number is a decimal number, null when unset.
	number
	// boolean is true or false.
	boolean
	// date is a day as YYYY-MM-DD, null when unset.
	date
	// list is a JSON array of strings, written as its items joined by
	// "; " (empty when null).
	list
)

// field is an exported column: its name, its kind and its SQL expression
// in an export's statement.
type field struct {
	name string
	kind kind
	expr func(t *tables) sql.Querier
}

// point returns the SQL expressions of a position of a row's geometry:
// its longitude and its latitude.
type point func(t *tables) (lon, lat string)

// dataset is an exportable list: its columns, the positions of its
// GeoJSON geometry (none: a null geometry; one: a Point; two: a
// LineString) and how to open its query for an export.
type dataset struct {
	fields []field
	points []point
	open   func(ctx context.Context, c *ent.Client, where string) (opened, error)
}

// opened is a dataset's query for one viewer and where input: its
// statement (see db.StatementOf) and its count.
type opened struct {
	base  *sql.Selector
	count func(ctx context.Context) (int, error)
}

// columns returns the names of d's fields.
func (d dataset) columns() []string {
	names := make([]string, len(d.fields))
	for i, f := range d.fields {
		names[i] = f.name
	}
	return names
}

// kinds returns the kinds of d's fields.
func (d dataset) kinds() []kind {
	kinds := make([]kind, len(d.fields))
	for i, f := range d.fields {
		kinds[i] = f.kind
	}
	return kinds
}

// Datasets are the exportable lists by name, as in /export/{name}.{format}.
var datasets = map[string]dataset{
	"partnerships": {
		fields: []field{column("id", integer),
			joined("ukrainian_municipality", text, uaTown, municipality.FieldName),
			joined("ukrainian_country", text, uaCountry, country.FieldCode),
			joined("european_municipality", text, euTown, municipality.FieldName),
			joined("european_country", text, euCountry, country.FieldCode),
			joined("phase", text, phaseOf, phase.FieldName),
			column(partnership.FieldStatus, text), column(partnership.FieldStartDate, date), column(partnership.FieldEndDate, date),
			column(partnership.FieldThemes, list),
			{name: "facilitators", kind: text, expr: facilitators}},
		points: []point{pointOf(uaTown), pointOf(euTown)},
		open:   openPartnerships,
	},
	"municipalities": {
		fields: []field{column("id", integer), column(municipality.FieldName, text), column(municipality.FieldLocalName, text),
			column(municipality.FieldKind, text),
			joined("country", text, countryOf, country.FieldCode),
			joined("region", text, regionOf, region.FieldName),
			column(municipality.FieldPopulation, integer), column(municipality.FieldLatitude, number),
			column(municipality.FieldLongitude, number), column(municipality.FieldWebsite, text)},
		points: []point{func(t *tables) (string, string) {
			return t.col(municipality.FieldLongitude), t.col(municipality.FieldLatitude)
		}},
		open: openMunicipalities,
	},
	"projects": {
		fields: []field{column("id", integer), column(project.FieldTitle, text), column(project.FieldStatus, text),
			column(project.FieldSector, text), column(project.FieldBudgetEur, number), column(project.FieldPartnershipID, integer),
			joined("lead_municipality", text, leadTown, municipality.FieldName)},
		points: []point{pointOf(leadTown)},
		open:   openProjects,
	},
	"activities": {
		fields: []field{column("id", integer), column(activity.FieldTitle, text), column(activity.FieldKind, text),
			column(activity.FieldStartDate, date), column(activity.FieldEndDate, date), column(activity.FieldDateNote, text),
			column(activity.FieldPlace, text), column(activity.FieldOnline, boolean),
			{name: "participants", kind: integer, expr: func(t *tables) sql.Querier { return sql.Expr(t.col(activity.FieldParticipantCount)) }},
			joined("organiser", text, organiserOf, association.FieldAcronym)},
		open: openActivities,
	},
}

// column is a column of the dataset's own table.
func column(name string, k kind) field {
	return field{name: name, kind: k, expr: func(t *tables) sql.Querier { return sql.Expr(t.col(name)) }}
}

// joined is the column col of a joined table.
func joined(name string, k kind, join func(t *tables) table, col string) field {
	return field{name: name, kind: k, expr: func(t *tables) sql.Querier { return sql.Expr(join(t).C(col)) }}
}

// pointOf is the position of a joined municipality.
func pointOf(town func(t *tables) table) point {
	return func(t *tables) (string, string) {
		m := town(t)
		return m.C(municipality.FieldLongitude), m.C(municipality.FieldLatitude)
	}
}

// The joins of the datasets' columns: municipalities, countries, regions,
// phases and associations, each narrowed to the rows the viewer may read.

func uaTown(t *tables) table { return townOf(t, "ua", partnership.FieldUkrainianMunicipalityID) }
func euTown(t *tables) table { return townOf(t, "eu", partnership.FieldEuropeanMunicipalityID) }
func leadTown(t *tables) table {
	return townOf(t, "lead", project.LeadMunicipalityColumn)
}
func uaCountry(t *tables) table { return townCountry(t, "ua", uaTown) }
func euCountry(t *tables) table { return townCountry(t, "eu", euTown) }

func townOf(t *tables, alias, fk string) table {
	return t.join(alias, "Municipality", municipality.Table, t.col(fk))
}

func townCountry(t *tables, side string, town func(t *tables) table) table {
	return t.join(side+"_country", "Country", country.Table, town(t).C(municipality.FieldCountryID))
}

func countryOf(t *tables) table {
	return t.join("country", "Country", country.Table, t.col(municipality.FieldCountryID))
}

func regionOf(t *tables) table {
	return t.join("region", "Region", region.Table, t.col(municipality.RegionColumn))
}

func phaseOf(t *tables) table {
	return t.join("phase", "Phase", phase.Table, t.col(partnership.FieldPhaseID))
}

func organiserOf(t *tables) table {
	return t.join("organiser", "Association", association.Table, t.col(activity.OrganiserColumn))
}

// facilitators joins, per partnership, the acronyms of its facilitators
// that the viewer may read, in order and joined by "; ". The lists are
// grouped in one pass over the exported partnerships' links.
func facilitators(t *tables) sql.Querier {
	b := sql.Dialect(t.s.Dialect())
	link := b.Table(partnership.FacilitatorsTable).As("facilitator_link")
	partner := link.C(partnership.FacilitatorsPrimaryKey[1])
	a := readable(t.s, "Association", association.Table, "facilitator")
	lists := b.Select(partner, listOf(t.s.Dialect(), a.C(association.FieldAcronym))+" AS "+t.s.Quote("list")).From(link).
		Join(a).On(link.C(partnership.FacilitatorsPrimaryKey[0]), a.C("id")).
		Where(sql.In(partner, t.ids())).
		GroupBy(partner).As("facilitators")
	t.s.LeftJoin(lists).On(t.col("id"), lists.C(partnership.FacilitatorsPrimaryKey[1]))
	return sql.Expr(lists.C("list"))
}

// Datasets returns the names of the exportable lists.
func Datasets() []string { return []string{"partnerships", "municipalities", "projects", "activities"} }

// Columns returns the columns of the named dataset, nil if there is none.
func Columns(name string) []string {
	d, ok := datasets[name]
	if !ok {
		return nil
	}
	return d.columns()
}

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

// requestError marks an error of the where input as the caller's.
func requestError(err error) error { return &RequestError{err.Error()} }

// entQuery is a generated Ent query (Q) with its ordering option (O).
type entQuery[Q any, O ~func(*sql.Selector)] interface {
	Order(o ...O) Q
	IDs(ctx context.Context) ([]int, error)
	Count(ctx context.Context) (int, error)
}

// openQuery opens the Ent query that q makes for an export: its statement
// (see db.StatementOf) and its count.
func openQuery[Q entQuery[Q, O], O ~func(*sql.Selector)](ctx context.Context, q func() Q) (opened, error) {
	base, err := db.StatementOf(func(order func(*sql.Selector)) error {
		_, err := q().Order(order).IDs(ctx)
		return err
	})
	return opened{base: base, count: q().Count}, err
}

func openPartnerships(ctx context.Context, c *ent.Client, where string) (opened, error) {
	ps, err := noWithin(wherePredicate[predicate.Partnership](where, &ent.PartnershipWhereInput{}))
	if err != nil {
		return opened{}, requestError(err)
	}
	return openQuery[*ent.PartnershipQuery, partnership.OrderOption](ctx, func() *ent.PartnershipQuery { return c.Partnership.Query().Where(ps...) })
}

func openMunicipalities(ctx context.Context, c *ent.Client, where string) (opened, error) {
	ps, within, err := wherePredicate[predicate.Municipality](where, &ent.MunicipalityWhereInput{})
	if err != nil {
		return opened{}, requestError(err)
	}
	if within != nil {
		box, err := decodeBox(within)
		if err != nil {
			return opened{}, requestError(err)
		}
		ps = append(ps, box.Predicate())
	}
	return openQuery[*ent.MunicipalityQuery, municipality.OrderOption](ctx, func() *ent.MunicipalityQuery { return c.Municipality.Query().Where(ps...) })
}

func openProjects(ctx context.Context, c *ent.Client, where string) (opened, error) {
	ps, err := noWithin(wherePredicate[predicate.Project](where, &ent.ProjectWhereInput{}))
	if err != nil {
		return opened{}, requestError(err)
	}
	return openQuery[*ent.ProjectQuery, project.OrderOption](ctx, func() *ent.ProjectQuery { return c.Project.Query().Where(ps...) })
}

func openActivities(ctx context.Context, c *ent.Client, where string) (opened, error) {
	ps, err := noWithin(wherePredicate[predicate.Activity](where, &ent.ActivityWhereInput{}))
	if err != nil {
		return opened{}, requestError(err)
	}
	return openQuery[*ent.ActivityQuery, activity.OrderOption](ctx, func() *ent.ActivityQuery { return c.Activity.Query().Where(ps...) })
}
