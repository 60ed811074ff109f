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

// User is a person with an account: secretariat staff, analysts,
// municipality and association staff, forum participants.
type User struct{ ent.Schema }

// Mixin of the User.
func (User) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Unique().NotEmpty().MaxLen(254).Validate(validEmail).
			Comment("Stored in lower case, so it is unique case-insensitively. The API shows it to the user and the secretariat only, and offers no filter on it.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("display_name").NotEmpty().MaxLen(120).Validate(notBlank).
			Annotations(entgql.OrderField("DISPLAY_NAME")),
		field.String("handle").Optional().Nillable().Unique().MaxLen(30).Validate(validHandle).
			Comment("Optional unique name by which posts mention the user (@handle): 3 to 30 lower-case letters, digits or underscores; stored in lower case.").
			Annotations(entgql.OrderField("HANDLE"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("preferred_language").Default("en").MaxLen(12).Validate(validLanguage),
		field.Enum("role").Values("NONE", "SECRETARIAT", "ANALYST").Default("NONE").
			Comment("Global role: SECRETARIAT administers everything, ANALYST reads everything that is not personal.").
			Annotations(entgql.OrderField("ROLE"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Bool("disabled").Default(false).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("password_hash").Optional().Sensitive().MaxLen(500).
			Annotations(entgql.Skip()),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("memberships", Membership.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("sessions", Session.Type).Annotations(authz.TargetDecides).Annotations(entgql.Skip()),
		edge.To("api_keys", APIKey.Type).Annotations(authz.TargetDecides).Annotations(entgql.Skip()),
		edge.From("mentioned_in", Post.Type).Annotations(authz.TargetDecides).Ref("mentions").Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("followed_categories", ForumCategory.Type).Annotations(authz.SourceDecides).
			Comment("Forum categories whose new topics the user's e-mail digests list.").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the User.
func (User) Indexes() []ent.Index { return []ent.Index{index.Fields("role")} }

// Hooks of the User.
func (User) Hooks() []ent.Hook { return []ent.Hook{normalizeUser()} }

// Policy of the User.
func (User) Policy() ent.Policy { return userPolicy() }

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}
