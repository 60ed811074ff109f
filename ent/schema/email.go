package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/authz"
)

// E-mail: each user's preferences per kind of news, and the record of
// every item e-mailed (internal/email, docs/email.md).

// EmailPreference says how often a user is e-mailed about one kind of
// news. A kind without a row has the default of internal/email.
type EmailPreference struct{ ent.Schema }

// Mixin of the EmailPreference.
func (EmailPreference) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the EmailPreference.
func (EmailPreference) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Annotations(privateID).Immutable(),
		field.Enum("kind").Values("REPLY", "MENTION", "NEWS", "REQUEST", "EVENT", "NEW_TOPICS", "UPCOMING_EVENTS").Immutable().
			Comment("REQUEST covers every step of a partnership request, EVENT promotions from a waiting list and reminders."),
		field.Enum("frequency").Values("IMMEDIATE", "DAILY", "WEEKLY", "OFF"),
	}
}

// Edges of the EmailPreference.
func (EmailPreference) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Annotations(authz.SourceDecides).Field("user_id").Unique().Required().Immutable().Annotations(noProbe),
	}
}

// Indexes of the EmailPreference.
func (EmailPreference) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "kind").Unique()}
}

// Policy of the EmailPreference: users read and set their own.
func (EmailPreference) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.OwnEmailPreferences()},
		Mutation: authz.WritePolicy(authz.AllowOwnEmailPreferences()),
	}
}

// Annotations of the EmailPreference.
func (EmailPreference) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}

// EmailDelivery records one item (a notification, a new topic, an
// upcoming event) in one e-mail to one user. It is written before the
// e-mail is sent, and each item has one row per user (unique indexes), so
// nothing is e-mailed twice; the rows of one e-mail share its batch.
type EmailDelivery struct{ ent.Schema }

// Mixin of the EmailDelivery.
func (EmailDelivery) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the EmailDelivery.
func (EmailDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Immutable(),
		field.String("batch").MaxLen(64).Immutable().Comment("The e-mail: the rows sent together."),
		field.Enum("frequency").Values("IMMEDIATE", "DAILY", "WEEKLY").Immutable(),
		field.Int("notification_id").Optional().Nillable().Immutable(),
		field.Int("topic_id").Optional().Nillable().Immutable(),
		field.Int("event_registration_id").Optional().Nillable().Immutable(),
		field.Enum("status").Values("PENDING", "SENT", "FAILED").Default("PENDING"),
		field.Int("attempts").Default(0),
		field.String("last_error").Optional().MaxLen(1000),
		field.Time("sent_at").Optional().Nillable(),
	}
}

// Indexes of the EmailDelivery. NULLs are distinct in unique indexes on
// both databases, so each index constrains only the rows of its item.
func (EmailDelivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_id", "notification_id").Unique(),
		index.Fields("user_id", "topic_id").Unique(),
		index.Fields("user_id", "event_registration_id").Unique(),
		index.Fields("batch"),
		index.Fields("status", "attempts"),
	}
}

// Policy of the EmailDelivery: only the Hub's mailer reads and writes it.
func (EmailDelivery) Policy() ent.Policy { return systemOnlyPolicy() }

// Annotations of the EmailDelivery.
func (EmailDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
