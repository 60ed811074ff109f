package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// LoginFailure is one failed (or still running) sign-in attempt counted
// against one throttle key: an account ("account:<e-mail>") or a client
// address ("address:<ip>"). The sign-in throttle keeps them in the store
// on PostgreSQL, so that every replica counts the same failures; rows
// older than the throttle's window are deleted.
type LoginFailure struct{ ent.Schema }

// Fields of the LoginFailure.
func (LoginFailure) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").MaxLen(400).Immutable().Comment("What the attempt counts against: account:<e-mail> or address:<ip>."),
		field.Int64("attempt").Immutable().Comment("Random id shared by the rows of one attempt, so that it can be taken back."),
		field.Time("at").Immutable().Comment("When the attempt began."),
	}
}

// Indexes of the LoginFailure.
func (LoginFailure) Indexes() []ent.Index {
	return []ent.Index{index.Fields("key", "at"), index.Fields("at")}
}

// Policy of the LoginFailure: only the sign-in throttle, in a system
// context, reads or writes the counts.
func (LoginFailure) Policy() ent.Policy { return systemOnlyPolicy() }

// Annotations of the LoginFailure.
func (LoginFailure) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
