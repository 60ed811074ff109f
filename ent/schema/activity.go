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

// Activity is an expert exchange mission, study visit, Solidarity Forum,
// training, info session, conference or online meeting.
type Activity struct{ ent.Schema }

// Mixin of the Activity.
func (Activity) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Activity.
func (Activity) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().MaxLen(300).Validate(notBlank).Annotations(entgql.OrderField("TITLE")),
		field.Enum("kind").Values("EXPERT_MISSION", "STUDY_VISIT", "SOLIDARITY_FORUM", "FORUM", "TRAINING",
			"INFO_SESSION", "CONFERENCE", "ONLINE_MEETING").Annotations(entgql.OrderField("KIND")),
		field.Time("start_date").Optional().Nillable().Annotations(entgql.OrderField("START_DATE")),
		field.Time("end_date").Optional().Nillable().Annotations(entgql.OrderField("END_DATE")),
		field.String("date_note").Optional().MaxLen(200).Comment("When the exact date is unknown, e.g. \"autumn 2023\"."),
		field.String("place").Optional().MaxLen(200),
		field.Bool("online").Default(false),
		field.Int("participant_count").Optional().Nillable().Min(0).Annotations(entgql.OrderField("PARTICIPANT_COUNT")),
		field.String("notes").Optional().MaxLen(2000),
		field.String("source").Optional().MaxLen(1000).Validate(validURL),
		field.Int("organiser_id").Optional().Nillable(),
	}
}

// Edges of the Activity.
func (Activity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organiser", Association.Type).Annotations(authz.TargetDecides).Ref("organised_activities").Field("organiser_id").Unique(),
		edge.From("partnerships", Partnership.Type).Annotations(authz.SourceDecides).Ref("activities").Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Activity.
func (Activity) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "start_date"), index.Fields("start_date"), index.Fields("organiser_id")}
}

// Hooks of the Activity.
func (Activity) Hooks() []ent.Hook { return []ent.Hook{validateDateRange("start_date", "end_date")} }

// Policy of the Activity: anyone reads; staff of its partnerships write.
func (Activity) Policy() ent.Policy { return publicPolicy(authz.AllowPartnerActivityWrites()) }

// Annotations of the Activity.
func (Activity) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
