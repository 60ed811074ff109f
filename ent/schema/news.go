package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/forum"
)

// NewsItem is a story of the programme, written in Markdown. Drafts are
// seen by their author and the secretariat; published items by everyone.
type NewsItem struct{ ent.Schema }

// Mixin of the NewsItem.
func (NewsItem) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the NewsItem.
func (NewsItem) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().MaxLen(300).Validate(notBlank).Annotations(entgql.OrderField("TITLE")),
		field.String("summary").Optional().MaxLen(1000),
		field.Text("body").NotEmpty().MaxLen(50000).Validate(notBlank).Comment("Markdown."),
		field.Text("body_html").Default("").MaxLen(maxRenderedHTML).Comment("The body rendered to HTML and sanitized, kept by a hook.").
			Annotations(skipInputs),
		field.String("language").Default("en").MaxLen(12).Validate(validLanguage).
			Comment("Language code of the text, e.g. en or uk."),
		field.Enum("status").Values("DRAFT", "PUBLISHED").Default("DRAFT").
			Comment("Set by publishNewsItem.").Annotations(entgql.OrderField("STATUS"), skipInputs),
		field.Time("published_at").Optional().Nillable().Comment("When the item was first published.").
			Annotations(entgql.OrderField("PUBLISHED_AT"), skipInputs),
		field.Int("author_id").Annotations(privateID).Optional().Nillable().Immutable().
			Comment("Set to the signed-in user on creation; null in the API for callers who may not see users.").
			Annotations(skipInputs),
	}
}

// Edges of the NewsItem.
func (NewsItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("author", User.Type).Annotations(authz.SourceDecides).Field("author_id").Unique().Immutable().Annotations(noProbe),
		edge.To("municipalities", Municipality.Type).Annotations(authz.SourceDecides).Annotations(entgql.RelayConnection()),
		edge.To("partnerships", Partnership.Type).Annotations(authz.SourceDecides).Annotations(entgql.RelayConnection()),
		edge.To("projects", Project.Type).Annotations(authz.SourceDecides).
			Comment("No has-projects filter: it would reveal concept projects.").
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Indexes of the NewsItem.
func (NewsItem) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "published_at"), index.Fields("author_id")}
}

// Hooks of the NewsItem: its author is the viewer who writes it, its
// publication is stamped, its HTML rendered (internal/forum, which also
// notifies and publishes after a write).
func (NewsItem) Hooks() []ent.Hook {
	return append([]ent.Hook{defaultViewer("author_id"), stampPublication()}, forum.NewsDerivations()...)
}

// Policy of the NewsItem: published items are public, drafts their
// author's; the secretariat and association editors write.
func (NewsItem) Policy() ent.Policy { return newsItemPolicy() }

// Annotations of the NewsItem.
func (NewsItem) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
