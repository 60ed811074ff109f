package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/bridgesoftrust/hub/internal/iso3166"

	"github.com/bridgesoftrust/hub/internal/authz"
)

// Country is a state identified by its ISO 3166-1 alpha-2 code.
type Country struct{ ent.Schema }

// Mixin of the Country.
func (Country) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}, NameMixin{}} }

// Fields of the Country.
func (Country) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").Unique().MaxLen(2).Validate(iso3166.Validate).
			Comment("ISO 3166-1 alpha-2 code, e.g. UA or LV.").
			Annotations(entgql.OrderField("CODE")),
		field.Bool("eu_member").Default(false).Comment("Whether the country is a member state of the European Union."),
	}
}

// Edges of the Country.
func (Country) Edges() []ent.Edge {
	return []ent.Edge{
		// A region or municipality cannot exist without its country: the
		// update input offers no way to detach them.
		edge.To("regions", Region.Type).Annotations(authz.TargetDecides).
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("municipalities", Municipality.Type).Annotations(authz.TargetDecides).
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("associations", Association.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection()),
	}
}

// Policy of the Country: anyone reads; the secretariat writes.
func (Country) Policy() ent.Policy { return publicPolicy() }

// Annotations of the Country.
func (Country) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
