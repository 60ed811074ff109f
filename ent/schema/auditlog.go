package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditLog records one successful change: who made it, to what and when.
// It is written by a hook in the change's own transaction and never edited.
type AuditLog struct{ ent.Schema }

// Fields of the AuditLog.
func (AuditLog) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(time.Now).Immutable().Annotations(entgql.OrderField("AT")),
		field.Int("actor_id").Optional().Nillable().Immutable().Comment("The user who made the change; null for the system (seed, import, command line)."),
		field.String("actor_label").Immutable().MaxLen(200).Comment("Who made the change, readable: a display name, \"system\" or the command."),
		field.String("entity").Immutable().MaxLen(100).Annotations(entgql.OrderField("ENTITY")),
		field.Int("entity_id").Immutable(),
		field.Enum("operation").Values("CREATE", "UPDATE", "DELETE").Immutable(),
		field.Strings("changed_fields").Optional().Immutable().Validate(stringList(200, 100)),
	}
}

// Indexes of the AuditLog.
func (AuditLog) Indexes() []ent.Index {
	return []ent.Index{index.Fields("at"), index.Fields("entity", "entity_id"), index.Fields("actor_id")}
}

// Policy of the AuditLog: the secretariat reads; only the audit hook writes.
func (AuditLog) Policy() ent.Policy { return auditLogPolicy() }

// Annotations of the AuditLog.
func (AuditLog) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField("auditLogs"), entgql.RelayConnection(), entgql.MultiOrder()}
}
