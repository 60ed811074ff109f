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

// APIKey is a long-lived credential of a user for scripts and integrations,
// with scopes and an optional expiry. Only a hash of its secret is stored.
type APIKey struct{ ent.Schema }

// Mixin of the APIKey.
func (APIKey) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the APIKey.
func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100).Validate(notBlank).Comment("What the key is for."),
		field.String("prefix").Immutable().MaxLen(40).Comment("The key's first characters, to recognise it in lists."),
		field.Bytes("secret_hash").Unique().Sensitive().Immutable().Annotations(entgql.Skip()),
		field.Strings("scopes").Validate(stringList(10, 20)).Comment("Any of read, write, bulk."),
		field.Time("expires_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
		field.Time("last_used_at").Optional().Nillable(),
		field.Int("user_id").Annotations(privateID).Immutable(),
	}
}

// Edges of the APIKey.
func (APIKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Annotations(authz.SourceDecides).Ref("api_keys").Field("user_id").Unique().Required().Immutable(),
	}
}

// Indexes of the APIKey.
func (APIKey) Indexes() []ent.Index { return []ent.Index{index.Fields("user_id")} }

// Policy of the APIKey.
func (APIKey) Policy() ent.Policy { return apiKeyPolicy() }

// Annotations of the APIKey.
func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
