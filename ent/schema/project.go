package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/internal/sector"

	"github.com/bridgesoftrust/hub/internal/authz"
)

// Project is a joint project proposal of a partnership.
type Project struct{ ent.Schema }

// Mixin of the Project.
func (Project) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Project.
func (Project) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().MaxLen(300).Validate(notBlank).Annotations(entgql.OrderField("TITLE")),
		translations("title_translations", "The title in other languages, keyed by language code."),
		translations("summary", "A summary, keyed by language code."),
		field.Enum("sector").GoType(sector.Sector("")).Annotations(entgql.OrderField("SECTOR"), entgql.Type("Sector")),
		field.Enum("status").Values("CONCEPT", "SUBMITTED", "FUNDED", "IN_PROGRESS", "COMPLETED", "REJECTED").
			Default("CONCEPT").Annotations(entgql.OrderField("STATUS")),
		field.Float("budget_eur").Optional().Nillable().Min(0).Comment("Budget in euros.").
			Annotations(entgql.OrderField("BUDGET_EUR")),
		field.Int("partnership_id"),
		field.Int("lead_municipality_id").Optional().Nillable(),
	}
}

// Edges of the Project.
func (Project) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("partnership", Partnership.Type).Annotations(authz.SourceDecides).Ref("projects").Field("partnership_id").Unique().Required(),
		edge.From("lead_municipality", Municipality.Type).Annotations(authz.SourceDecides).Ref("led_projects").Field("lead_municipality_id").Unique(),
		edge.From("funders", Association.Type).Annotations(authz.TargetDecides).Ref("funded_projects").Annotations(entgql.RelayConnection()),
		edge.From("news_items", NewsItem.Type).Annotations(authz.TargetDecides).Ref("projects").Comment("News items about it (drafts only for their authors and the secretariat).").
			Annotations(entgql.RelayConnection(), noProbe),
		edge.From("documents", Document.Type).Annotations(authz.TargetDecides).Ref("projects").
			Comment("Library documents about it (drafts only for their authors and the secretariat).").
			Annotations(entgql.RelayConnection(), noProbe),
	}
}

// Indexes of the Project.
func (Project) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("partnership_id"),
		index.Fields("sector", "status"),
		index.Fields("status"),
	}
}

// Hooks of the Project.
func (Project) Hooks() []ent.Hook {
	return []ent.Hook{validateTranslations("title_translations", "summary")}
}

// Policy of the Project: concept projects are visible to their partnerships' staff only.
func (Project) Policy() ent.Policy { return projectPolicy() }

// Annotations of the Project.
func (Project) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
