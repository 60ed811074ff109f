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

// Membership makes a user staff of exactly one municipality, association
// or organisation, with a role there.
type Membership struct{ ent.Schema }

// Mixin of the Membership.
func (Membership) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Membership.
func (Membership) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("role").Values("ADMIN", "EDITOR", "MEMBER").Default("MEMBER").
			Comment("ADMIN manages the organisation's staff and data, EDITOR its data, MEMBER reads."),
		field.Int("user_id").Annotations(privateID),
		field.Int("municipality_id").Optional().Nillable(),
		field.Int("association_id").Optional().Nillable(),
		field.Int("organisation_id").Optional().Nillable(),
	}
}

// Edges of the Membership.
func (Membership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Annotations(authz.SourceDecides).Ref("memberships").Field("user_id").Unique().Required(),
		edge.To("municipality", Municipality.Type).Annotations(authz.SourceDecides).Field("municipality_id").Unique(),
		edge.To("association", Association.Type).Annotations(authz.SourceDecides).Field("association_id").Unique(),
		edge.To("organisation", Organisation.Type).Annotations(authz.SourceDecides).Field("organisation_id").Unique(),
	}
}

// Indexes of the Membership.
func (Membership) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_id", "municipality_id").Unique(),
		index.Fields("user_id", "association_id").Unique(),
		index.Fields("user_id", "organisation_id").Unique(),
		index.Fields("municipality_id"),
		index.Fields("association_id"),
		index.Fields("organisation_id"),
	}
}

// Hooks of the Membership.
func (Membership) Hooks() []ent.Hook { return []ent.Hook{validateMembershipTarget()} }

// Policy of the Membership.
func (Membership) Policy() ent.Policy { return membershipPolicy() }

// Annotations of the Membership.
func (Membership) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
