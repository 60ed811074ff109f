package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/bridgesoftrust/hub/internal/authz"
)

// Phase is a phase of the programme (pilot, recovery, community hub...).
// New phases are rows, not code.
type Phase struct{ ent.Schema }

// Mixin of the Phase.
func (Phase) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Phase.
func (Phase) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().NotEmpty().MaxLen(60).Validate(notBlank).
			Comment("Short key, e.g. pilot or recovery.").Annotations(entgql.OrderField("NAME")),
		field.String("title").Optional().MaxLen(200),
		translations("description", "What the phase was for, keyed by language code."),
		field.Time("start_date").Optional().Nillable().Annotations(entgql.OrderField("START_DATE")),
		field.Time("end_date").Optional().Nillable().Annotations(entgql.OrderField("END_DATE")),
		field.JSON("published_figures", map[string]int{}).Optional().
			Comment("The figures the programme published for the phase, keyed by the name of the figure in programmeFigures (e.g. partnerships, expertMissions); a figure published as \"500+\" is stored as 500.").
			Annotations(entgql.Skip()),
	}
}

// Edges of the Phase.
func (Phase) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("partnerships", Partnership.Type).Annotations(authz.TargetDecides).
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Hooks of the Phase.
func (Phase) Hooks() []ent.Hook {
	return []ent.Hook{validateDateRange("start_date", "end_date"), validateTranslations("description")}
}

// Policy of the Phase: anyone reads; the secretariat writes.
func (Phase) Policy() ent.Policy { return publicPolicy() }

// Annotations of the Phase.
func (Phase) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
