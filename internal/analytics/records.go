package analytics

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/project"
)

// projects groups projects; the measure is the budget in euros. A
// project's year is the year it was recorded (projects carry no dates).
var projects = spec{measure: project.FieldBudgetEur, dims: map[string]dimension{
	"STATUS": {key: column(project.FieldStatus)},
	"SECTOR": {key: column(project.FieldSector)},
	"PHASE": lookup("phases", "name", func(s *sql.Selector, j *joins) string {
		return j.table("pp", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, "partnerships", "pp", s.C(project.FieldPartnershipID), "id")
		}).C("phase_id")
	}),
	"YEAR": {key: func(s *sql.Selector, _ *joins) string { return year(s, project.FieldCreatedAt) }},
}}

// ProjectStats groups the projects that where selects and the viewer in
// ctx may list (concept projects only for their partners and the
// secretariat) by groupBy (ProjectGrouping values).
func ProjectStats(ctx context.Context, client *ent.Client, where *ent.ProjectWhereInput, groupBy []string) ([]*Group, error) {
	q, err := where.Filter(client.Project.Query())
	return grouped[*ent.ProjectSelect](ctx, projects, q, err, groupBy)
}

// activities groups activities; the measure is the participant count.
var activities = spec{measure: activity.FieldParticipantCount, dims: map[string]dimension{
	"KIND":      {key: column(activity.FieldKind)},
	"YEAR":      {key: func(s *sql.Selector, _ *joins) string { return year(s, activity.FieldStartDate) }},
	"ORGANISER": lookup("associations", "name", column(activity.FieldOrganiserID)),
}}

// ActivityStats groups the activities that where selects and the viewer
// in ctx may list by groupBy (ActivityGrouping values).
func ActivityStats(ctx context.Context, client *ent.Client, where *ent.ActivityWhereInput, groupBy []string) ([]*Group, error) {
	q, err := where.Filter(client.Activity.Query())
	return grouped[*ent.ActivitySelect](ctx, activities, q, err, groupBy)
}

// municipalities groups municipalities; the measure is the population.
var municipalities = spec{measure: municipality.FieldPopulation, dims: map[string]dimension{
	"COUNTRY": lookup("countries", "code", column(municipality.FieldCountryID)),
	"REGION":  lookup("regions", "name", column(municipality.FieldRegionID)),
	"KIND":    {key: column(municipality.FieldKind)},
}}

// MunicipalityStats groups the municipalities that where selects and the
// viewer in ctx may list by groupBy (MunicipalityGrouping values).
func MunicipalityStats(ctx context.Context, client *ent.Client, where *ent.MunicipalityWhereInput, groupBy []string) ([]*Group, error) {
	q, err := where.Filter(client.Municipality.Query())
	return grouped[*ent.MunicipalitySelect](ctx, municipalities, q, err, groupBy)
}
