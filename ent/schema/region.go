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

// Region is an oblast of Ukraine or a first-level region of an EU country.
type Region struct{ ent.Schema }

// Mixin of the Region.
func (Region) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}, NameMixin{}} }

// Fields of the Region.
func (Region) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("OBLAST", "AUTONOMOUS_REPUBLIC", "SPECIAL_STATUS_CITY", "REGION", "PROVINCE", "COUNTY", "STATE").
			Default("REGION").Annotations(entgql.OrderField("KIND")),
		field.Int("country_id").Comment("The country the region belongs to."),
	}
}

// Edges of the Region.
func (Region) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("country", Country.Type).Annotations(authz.SourceDecides).Ref("regions").Field("country_id").Unique().Required(),
		edge.To("municipalities", Municipality.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Region.
func (Region) Indexes() []ent.Index {
	return []ent.Index{index.Fields("country_id", "name").Unique()}
}

// Policy of the Region: anyone reads; the secretariat writes.
func (Region) Policy() ent.Policy { return publicPolicy() }

// Annotations of the Region.
func (Region) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
