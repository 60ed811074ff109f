package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// RateLimit is the state of one client's rate limit (internal/ratelimit)
// on PostgreSQL, shared by every replica: the theoretical arrival time of
// the generic cell rate algorithm (GCRA), in nanoseconds since the epoch,
// until it expires. On SQLite the limiter keeps its state in process.
type RateLimit struct{ ent.Schema }

// Fields of the RateLimit.
func (RateLimit) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").MaxLen(400).Unique().Immutable().Comment("The client: user:<id>, key:<id> or address:<ip>, with its policy."),
		field.Int64("value").Comment("GCRA's theoretical arrival time, Unix nanoseconds."),
		field.Time("expires_at").Comment("When the state no longer matters (the budget is full again)."),
	}
}

// Indexes of the RateLimit.
func (RateLimit) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expires_at")}
}

// Policy of the RateLimit: only the rate limiter, in a system context,
// reads or writes it.
func (RateLimit) Policy() ent.Policy { return systemOnlyPolicy() }

// Annotations of the RateLimit.
func (RateLimit) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
