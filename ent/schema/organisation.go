package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// Who does what where: organisations beyond the associations (programmes,
// donors, city networks, NGOs) and their initiatives in municipalities and
// sectors. The rules are in internal/authz/organisations.go, the
// municipality's actors and the overlaps in internal/organisations.

// Organisation is a programme, donor, city network, NGO or other actor of
// Ukraine's recovery. Its staff (memberships) edit it and its initiatives.
type Organisation struct{ ent.Schema }

// Mixin of the Organisation.
func (Organisation) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}, NameMixin{}} }

// Fields of the Organisation.
func (Organisation) Fields() []ent.Field {
	return []ent.Field{
		field.String("acronym").Optional().MaxLen(40).Annotations(entgql.OrderField("ACRONYM")),
		field.Enum("kind").Values("PROGRAMME", "DONOR", "CITY_NETWORK", "NGO", "INTERNATIONAL_ORGANISATION", "OTHER").
			Default("OTHER").Annotations(entgql.OrderField("KIND")),
		field.String("website").Optional().MaxLen(500).Validate(validURL),
		field.String("description").Optional().MaxLen(2000),
		field.Int("country_id").Optional().Nillable().Comment("Where it is based; none for international ones."),
	}
}

// Edges of the Organisation.
func (Organisation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("country", Country.Type).Annotations(authz.SourceDecides).Field("country_id").Unique(),
		edge.To("initiatives", Initiative.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection(), noInput),
	}
}

// Indexes of the Organisation.
func (Organisation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind"), index.Fields("country_id")}
}

// Policy of the Organisation: anyone reads; the secretariat creates; its
// editors update its profile.
func (Organisation) Policy() ent.Policy { return publicPolicy(authz.AllowOwnOrganisationUpdate()) }

// Annotations of the Organisation.
func (Organisation) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Initiative is what an organisation does: in which municipalities and
// sectors, when, with what funding.
type Initiative struct{ ent.Schema }

// Mixin of the Initiative.
func (Initiative) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Initiative.
func (Initiative) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organisation_id").Immutable(),
		field.String("title").NotEmpty().MaxLen(300).Validate(notBlank).Annotations(entgql.OrderField("TITLE")),
		field.String("description").Optional().MaxLen(5000),
		field.JSON("sectors", []sector.Sector{}).Optional().Comment("The sectors it works in.").
			Annotations(entgql.Type("[Sector!]")),
		field.Time("starts_on").Optional().Nillable().Annotations(entgql.OrderField("STARTS_ON")),
		field.Time("ends_on").Optional().Nillable().Annotations(entgql.OrderField("ENDS_ON")),
		field.Float("funding_eur").Optional().Nillable().Min(0).Comment("Funding in euros.").
			Annotations(entgql.OrderField("FUNDING_EUR")),
	}
}

// Edges of the Initiative.
func (Initiative) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organisation", Organisation.Type).Annotations(authz.SourceDecides).Ref("initiatives").
			Field("organisation_id").Unique().Required().Immutable(),
		edge.To("municipalities", Municipality.Type).Annotations(authz.SourceDecides).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Initiative.
func (Initiative) Indexes() []ent.Index { return []ent.Index{index.Fields("organisation_id")} }

// Hooks of the Initiative.
func (Initiative) Hooks() []ent.Hook {
	return []ent.Hook{validateSectors("sectors"), validateDateRange("starts_on", "ends_on")}
}

// Policy of the Initiative: anyone reads; the organisation's editors write.
func (Initiative) Policy() ent.Policy { return publicPolicy(authz.AllowOrganisationInitiativeWrites()) }

// Annotations of the Initiative.
func (Initiative) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
