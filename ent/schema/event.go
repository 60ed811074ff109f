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

// Events: trainings, information sessions, Solidarity Forums, study visits
// and expert missions, with their sessions and registrations. An event is
// linked to the activity (the programme's record) and the partnership it
// serves; activities stay as they are. The rules are in
// internal/authz/events.go, registration and the waiting list in
// internal/events (docs/events.md).

// Event is something people register for and attend.
type Event struct{ ent.Schema }

// Mixin of the Event.
func (Event) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Event.
func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().MaxLen(300).Validate(notBlank).Annotations(entgql.OrderField("TITLE")),
		field.Enum("kind").Values("TRAINING", "INFO_SESSION", "SOLIDARITY_FORUM", "STUDY_VISIT", "EXPERT_MISSION",
			"CONFERENCE", "ONLINE_MEETING").Annotations(entgql.OrderField("KIND")),
		field.String("description").Optional().MaxLen(5000),
		field.String("language").Default("en").MaxLen(12).Validate(validLanguage).Comment("The language the event is held in."),
		field.Int("capacity").Optional().Nillable().Range(1, 100000).Comment("Most people registered; more go on the waiting list. Null: no limit."),
		field.Enum("audience").Values("PUBLIC", "MEMBERS", "PARTNERSHIP", "INVITED").Default("MEMBERS").
			Comment("Who sees the event and may register: anyone, signed-in users, the staff of its partnership's municipalities, or of the invited municipalities.").
			Annotations(entgql.OrderField("AUDIENCE")),
		field.Time("starts_at").Comment("Start of the first session.").Annotations(entgql.OrderField("STARTS_AT"), skipInputs),
		field.Time("ends_at").Comment("End of the last session.").Annotations(entgql.OrderField("ENDS_AT"), skipInputs),
		field.String("time_zone").MaxLen(64).Validate(validTimeZone).Comment("IANA time zone of the first session, e.g. Europe/Kyiv.").Annotations(skipInputs),
		field.Int("organiser_id").Optional().Nillable().Comment("The association organising it; null: the secretariat."),
		field.Int("partnership_id").Annotations(privateID).Optional().Nillable().Comment("The partnership it serves (and, for the PARTNERSHIP audience, whose staff see it)."),
		field.Int("activity_id").Optional().Nillable().Comment("The activity of the programme's record it serves."),
		field.Int("created_by_id").Annotations(privateID).Optional().Nillable().Immutable(),
		field.Int("seat_version").Default(0).Comment("Bumped by every registration change: the row lock that serialises them.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Event.
func (Event) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organiser", Association.Type).Annotations(authz.TargetDecides).Field("organiser_id").Unique(),
		edge.To("partnership", Partnership.Type).Annotations(authz.SourceDecides).Field("partnership_id").Unique(),
		edge.To("activity", Activity.Type).Annotations(authz.SourceDecides).Field("activity_id").Unique(),
		edge.To("created_by", User.Type).Annotations(authz.SourceDecides).Field("created_by_id").Unique().Immutable().Annotations(noProbe),
		edge.To("invited_municipalities", Municipality.Type).Annotations(authz.SourceDecides).Annotations(entgql.RelayConnection()),
		edge.To("sessions", EventSession.Type).Annotations(authz.TargetDecides).Annotations(skipInputs),
		edge.To("registrations", EventRegistration.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection(), skipInputs),
	}
}

// Indexes of the Event.
func (Event) Indexes() []ent.Index {
	return []ent.Index{index.Fields("starts_at"), index.Fields("kind", "starts_at"), index.Fields("organiser_id"),
		index.Fields("partnership_id"), index.Fields("activity_id")}
}

// Hooks of the Event.
func (Event) Hooks() []ent.Hook {
	return []ent.Hook{defaultViewer("created_by_id"), validateDateRange("starts_at", "ends_at")}
}

// Policy of the Event: its audience reads it; the secretariat and the
// organising association's editors write.
func (Event) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowReadsAll(), authz.EventVisibility()},
		Mutation: authz.WritePolicy(authz.AllowEventOrganisers()),
	}
}

// Annotations of the Event.
func (Event) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationUpdate())}
}

// EventSession is one sitting of an event: when, in which time zone, and
// where or at which online address.
type EventSession struct{ ent.Schema }

// Mixin of the EventSession.
func (EventSession) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the EventSession.
func (EventSession) Fields() []ent.Field {
	return []ent.Field{
		field.Int("event_id").Immutable(),
		field.String("title").Optional().MaxLen(300),
		field.Time("starts_at").Annotations(entgql.OrderField("STARTS_AT")),
		field.Time("ends_at"),
		field.String("time_zone").MaxLen(64).Validate(validTimeZone).Comment("IANA time zone, e.g. Europe/Kyiv."),
		field.String("place").Optional().MaxLen(300),
		field.String("online_url").Optional().MaxLen(1000).Validate(validURL),
	}
}

// Edges of the EventSession.
func (EventSession) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("event", Event.Type).Annotations(authz.SourceDecides, authz.VisibleWithSource).Ref("sessions").
			Field("event_id").Unique().Required().Immutable(),
	}
}

// Indexes of the EventSession.
func (EventSession) Indexes() []ent.Index {
	return []ent.Index{index.Fields("event_id", "starts_at")}
}

// Hooks of the EventSession.
func (EventSession) Hooks() []ent.Hook {
	return []ent.Hook{validateDateRange("starts_at", "ends_at")}
}

// Policy of the EventSession: as its event.
func (EventSession) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowReadsAll(), authz.EventSessionVisibility()},
		Mutation: authz.WritePolicy(authz.AllowEventSessionOrganisers()),
	}
}

// Annotations of the EventSession.
func (EventSession) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// EventRegistration is a person's place at an event: registered, on the
// waiting list (position orders it), cancelled or attended.
type EventRegistration struct{ ent.Schema }

// Mixin of the EventRegistration.
func (EventRegistration) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the EventRegistration.
func (EventRegistration) Fields() []ent.Field {
	return []ent.Field{
		field.Int("event_id").Annotations(privateID).Immutable(),
		field.Int("user_id").Annotations(privateID).Immutable(),
		field.Int("registered_by_id").Annotations(privateID).Optional().Nillable().Immutable(),
		field.Enum("status").Values("REGISTERED", "WAITLISTED", "CANCELLED", "ATTENDED").Default("REGISTERED").
			Annotations(entgql.OrderField("STATUS")),
		field.Int("position").Optional().Nillable().Comment("Place on the waiting list, from 1; null unless WAITLISTED."),
		field.Time("attended_at").Optional().Nillable(),
		field.Time("cancelled_at").Optional().Nillable(),
		field.Time("reminded_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the EventRegistration.
func (EventRegistration) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("event", Event.Type).Annotations(authz.SourceDecides).Ref("registrations").Field("event_id").Unique().Required().Immutable(),
		edge.To("user", User.Type).Annotations(authz.SourceDecides).Field("user_id").Unique().Required().Immutable().Annotations(noProbe),
		edge.To("registered_by", User.Type).Annotations(authz.SourceDecides).Field("registered_by_id").Unique().Immutable().Annotations(noProbe),
	}
}

// Indexes of the EventRegistration: a person registers once per event.
func (EventRegistration) Indexes() []ent.Index {
	return []ent.Index{index.Fields("event_id", "user_id").Unique(), index.Fields("event_id", "status", "position"),
		index.Fields("user_id", "status")}
}

// Policy of the EventRegistration: the person, who registered them, the
// event's organisers and the secretariat see it; internal/events writes.
func (EventRegistration) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.EventRegistrationVisibility()},
		Mutation: authz.WritePolicy(authz.AllowEventRegistrationWrites()),
	}
}

// Annotations of the EventRegistration.
func (EventRegistration) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder()}
}
