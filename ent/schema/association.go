package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/internal/authz"
)

// Association is a national association of local and regional governments
// (LRGA), a European network such as CEMR, or a donor such as U-LEAD.
type Association struct{ ent.Schema }

// Mixin of the Association.
func (Association) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}, NameMixin{}} }

// Fields of the Association.
func (Association) Fields() []ent.Field {
	return []ent.Field{
		field.String("acronym").Unique().NotEmpty().MaxLen(40).Validate(notBlank).
			Annotations(entgql.OrderField("ACRONYM")),
		field.Enum("kind").Values("LRGA", "EUROPEAN_NETWORK", "DONOR", "OTHER").Default("LRGA").
			Annotations(entgql.OrderField("KIND")),
		field.String("website").Optional().MaxLen(500).Validate(validURL),
		field.Int("country_id").Optional().Nillable().Comment("None for European networks and donors."),
	}
}

// Edges of the Association.
func (Association) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("country", Country.Type).Annotations(authz.TargetDecides).Ref("associations").Field("country_id").Unique(),
		edge.To("members", Municipality.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection()),
		edge.To("facilitated_partnerships", Partnership.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection()),
		edge.To("funded_projects", Project.Type).Annotations(authz.TargetDecides).
			Comment("No hasFundedProjects filter: it would reveal concept projects; filter projects by funder instead.").
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)),
		edge.To("organised_activities", Activity.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Association.
func (Association) Indexes() []ent.Index {
	return []ent.Index{index.Fields("country_id"), index.Fields("kind")}
}

// Policy of the Association: anyone reads; its editors update its profile.
func (Association) Policy() ent.Policy { return publicPolicy(authz.AllowOwnAssociationUpdate()) }

// Annotations of the Association.
func (Association) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
