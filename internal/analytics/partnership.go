package analytics

import (
	"context"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/partnership"
)

// partnerships groups partnerships.
var partnerships = spec{dims: map[string]dimension{
	"EU_COUNTRY": {key: func(s *sql.Selector, j *joins) string {
		return countryOf(s, j, "eu", partnership.EuropeanMunicipalityColumn)
	}},
	"UA_COUNTRY": {key: func(s *sql.Selector, j *joins) string {
		return countryOf(s, j, "ua", partnership.UkrainianMunicipalityColumn)
	}},
	"UA_REGION": {key: func(s *sql.Selector, j *joins) string {
		m := municipalityOf(s, j, "ua", partnership.UkrainianMunicipalityColumn)
		return j.table("ua_r", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, "regions", "ua_r", m.C("region_id"), "id")
		}).C("name")
	}},
	"PHASE":      {key: phaseOf(partnership.FieldPhaseID)},
	"STATUS":     {key: column(partnership.FieldStatus)},
	"START_YEAR": {key: func(s *sql.Selector, _ *joins) string { return year(s, partnership.FieldStartDate) }},
	"THEME":      {multi: true, key: theme},
	"FACILITATOR": {multi: true, key: func(s *sql.Selector, j *joins) string {
		link := j.table("fac_l", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, partnership.FacilitatorsTable, "fac_l", s.C(partnership.FieldID), partnership.FacilitatorsPrimaryKey[1])
		})
		return j.table("fac", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, "associations", "fac", link.C(partnership.FacilitatorsPrimaryKey[0]), "id")
		}).C("name")
	}},
}}

// PartnershipStats groups the partnerships that where selects and the
// viewer in ctx may list by groupBy (PartnershipGrouping values).
func PartnershipStats(ctx context.Context, client *ent.Client, where *ent.PartnershipWhereInput, groupBy []string) ([]*Group, error) {
	q, err := where.Filter(client.Partnership.Query())
	return grouped[*ent.PartnershipSelect](ctx, partnerships, q, err, groupBy)
}

// column groups by a column of the aggregated table.
func column(name string) func(*sql.Selector, *joins) string {
	return func(s *sql.Selector, _ *joins) string { return s.C(name) }
}

// municipalityOf joins the municipality a column refers to, as side_m.
func municipalityOf(s *sql.Selector, j *joins, side, fk string) *sql.SelectTable {
	return j.table(side+"_m", func(s *sql.Selector) *sql.SelectTable {
		return leftJoin(s, "municipalities", side+"_m", s.C(fk), "id")
	})
}

// countryOf returns the country code of the municipality a column refers
// to.
func countryOf(s *sql.Selector, j *joins, side, fk string) string {
	m := municipalityOf(s, j, side, fk)
	return j.table(side+"_c", func(s *sql.Selector) *sql.SelectTable {
		return leftJoin(s, "countries", side+"_c", m.C("country_id"), "id")
	}).C("code")
}

// phaseOf groups by the name of the phase a column refers to.
func phaseOf(fk string) func(*sql.Selector, *joins) string {
	return func(s *sql.Selector, j *joins) string {
		return j.table("ph", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, "phases", "ph", s.C(fk), "id")
		}).C("name")
	}
}

// theme groups by each theme of a partnership's themes (a JSON array),
// unnested by the database's JSON table function; a partnership without
// themes falls in the null group.
func theme(s *sql.Selector, j *joins) string {
	j.table("th", func(s *sql.Selector) *sql.SelectTable {
		fn := "json_each(" + s.C(partnership.FieldThemes) + ")"
		if s.Dialect() == dialect.Postgres {
			fn = "jsonb_array_elements_text(" + s.C(partnership.FieldThemes) + ")"
		}
		// An unquoted table is written as is: the alias goes in its text.
		t := sql.Dialect(s.Dialect()).Table(fn + " AS " + s.Quote("th")).Unquote()
		s.LeftJoin(t).OnP(sql.ExprP("TRUE"))
		return t
	})
	return s.Quote("th") + "." + s.Quote("value")
}
