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

// Notification tells a user about an event: a reply to their topic or
// post, a mention, published news about their municipality, or a step of
// a partnership request they take part in (REQUEST_<status>), a place
// freed for them at an event (EVENT_PROMOTED) or an event soon (EVENT_REMINDER). Hooks
// create notifications in the transaction of the event; each event
// notifies a user once, enforced by unique indexes on (recipient, kind,
// subject), where the subject is the post or the news item.
type Notification struct{ ent.Schema }

// Mixin of the Notification.
func (Notification) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Notification.
func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("REPLY", "MENTION", "NEWS",
			"REQUEST_PROPOSED", "REQUEST_ACCEPTED", "REQUEST_FACILITATED", "REQUEST_CONFIRMED", "REQUEST_DECLINED", "REQUEST_WITHDRAWN",
			"EVENT_PROMOTED", "EVENT_REMINDER").Immutable().Annotations(entgql.OrderField("KIND")),
		field.Time("read_at").Optional().Nillable(),
		field.Int("recipient_id").Annotations(privateID).Immutable(),
		field.Int("actor_id").Annotations(privateID).Optional().Nillable().Immutable().Comment("Who caused the event."),
		field.Int("post_id").Annotations(privateID).Optional().Nillable().Immutable().Comment("The subject of REPLY and MENTION."),
		field.Int("topic_id").Annotations(privateID).Optional().Nillable().Immutable().Comment("The topic of the post."),
		field.Int("news_item_id").Annotations(privateID).Optional().Nillable().Immutable().Comment("The subject of NEWS."),
		field.Int("partnership_request_id").Annotations(privateID).Optional().Nillable().Immutable().Comment("The subject of REQUEST_*: the step it reached."),
		field.Int("event_registration_id").Annotations(privateID).Optional().Nillable().Immutable().Comment("The subject of EVENT_*: the registration promoted from the waiting list or reminded of."),
	}
}

// Edges of the Notification.
func (Notification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("recipient", User.Type).Annotations(authz.SourceDecides).Field("recipient_id").Unique().Required().Immutable().Annotations(noProbe),
		edge.To("actor", User.Type).Annotations(authz.SourceDecides).Field("actor_id").Unique().Immutable().Annotations(noProbe),
		edge.To("post", Post.Type).Annotations(authz.SourceDecides).Field("post_id").Unique().Immutable().Annotations(noProbe),
		edge.To("topic", Topic.Type).Annotations(authz.SourceDecides).Field("topic_id").Unique().Immutable().Annotations(noProbe),
		edge.To("news_item", NewsItem.Type).Annotations(authz.SourceDecides).Field("news_item_id").Unique().Immutable().Annotations(noProbe),
		edge.To("partnership_request", PartnershipRequest.Type).Annotations(authz.SourceDecides).Field("partnership_request_id").Unique().Immutable().Annotations(noProbe),
		edge.To("event_registration", EventRegistration.Type).Annotations(authz.SourceDecides).Field("event_registration_id").Unique().Immutable().Annotations(noProbe),
	}
}

// Indexes of the Notification. NULLs are distinct in unique indexes on
// both databases, so each index constrains only the rows of its subject.
func (Notification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("recipient_id", "kind", "post_id").Unique(),
		index.Fields("recipient_id", "kind", "news_item_id").Unique(),
		index.Fields("recipient_id", "kind", "partnership_request_id").Unique(),
		index.Fields("recipient_id", "kind", "event_registration_id").Unique(),
		index.Fields("recipient_id", "read_at"),
	}
}

// Policy of the Notification: users read their own and mark them read;
// only the Hub's hooks create them.
func (Notification) Policy() ent.Policy { return notificationPolicy() }

// Annotations of the Notification.
func (Notification) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}
