package analytics

import (
	"context"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/partnership"
)

// partnerships groups partnerships. Countries and the Ukrainian region are
// read from the partnership's copy of its municipalities' places (see
// ent/schema/places.go), which spares a join with the municipalities.
var partnerships = spec{dims: map[string]dimension{
	"EU_COUNTRY":  lookup("countries", "code", column(partnership.FieldEuropeanCountryID)),
	"UA_COUNTRY":  lookup("countries", "code", column(partnership.FieldUkrainianCountryID)),
	"UA_REGION":   lookup("regions", "name", column(partnership.FieldUkrainianRegionID)),
	"PHASE":       lookup("phases", "name", column(partnership.FieldPhaseID)),
	"STATUS":      {key: column(partnership.FieldStatus)},
	"START_YEAR":  {key: func(s *sql.Selector, _ *joins) string { return year(s, partnership.FieldStartDate) }},
	"THEME":       {key: theme},
	"FACILITATOR": lookup("associations", "name", facilitator),
}}

// PartnershipStats groups the partnerships that where selects and the
// viewer in ctx may list by groupBy (PartnershipGrouping values).
func PartnershipStats(ctx context.Context, client *ent.Client, where *ent.PartnershipWhereInput, groupBy []string) ([]*Group, error) {
	q, err := where.Filter(client.Partnership.Query())
	return grouped[*ent.PartnershipSelect](ctx, partnerships, q, err, groupBy)
}

// facilitator returns the association id of the join table of
// facilitators, joined as fac_l: one row per facilitator.
func facilitator(s *sql.Selector, j *joins) string {
	return j.table("fac_l", func(s *sql.Selector) *sql.SelectTable {
		return leftJoin(s, partnership.FacilitatorsTable, "fac_l", s.C(partnership.FieldID), partnership.FacilitatorsPrimaryKey[1])
	}).C(partnership.FacilitatorsPrimaryKey[0])
}

// theme groups by each theme of a partnership's themes (a JSON array
// naming each theme once), unnested by the database's JSON table function;
// a partnership without themes falls in the null group.
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
