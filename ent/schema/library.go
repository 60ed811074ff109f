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
	"github.com/bridgesoftrust/hub/internal/sector"
)

// The knowledge library: good practices, case studies, policy
// recommendations, templates and reports, each one item in all its
// languages, with files. The rules are in internal/authz/library.go, the
// review workflow and file handling in internal/library.

// Document is an item of the knowledge library. Its title and summary are
// given in one language and translated into others; its files carry their
// own language. Editors write drafts and submit them; the secretariat
// publishes them or sends them back.
type Document struct{ ent.Schema }

// Mixin of the Document.
func (Document) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Document.
func (Document) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("GOOD_PRACTICE", "CASE_STUDY", "POLICY_RECOMMENDATION", "TEMPLATE", "REPORT").
			Annotations(entgql.OrderField("KIND")),
		field.Enum("sector").GoType(sector.Sector("")).Annotations(entgql.Type("Sector"), entgql.OrderField("SECTOR")),
		field.String("title").NotEmpty().MaxLen(300).Validate(notBlank).Annotations(entgql.OrderField("TITLE")),
		translations("title_translations", "The title in other languages, keyed by language code."),
		field.String("summary").Optional().MaxLen(2000),
		translations("summary_translations", "The summary in other languages, keyed by language code."),
		field.String("language").Default("en").MaxLen(12).Validate(validLanguage).
			Comment("Language code of the title and summary, e.g. en or uk; the translations and files add others."),
		field.Enum("status").Values("DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED").Default("DRAFT").
			Comment("Changed by submitDocument, publishDocument, rejectDocument and archiveDocument.").
			Annotations(entgql.OrderField("STATUS"), skipInputs),
		field.Enum("visibility").Values("PUBLIC", "MEMBERS").Default("PUBLIC").
			Comment("PUBLIC: anyone reads the published document; MEMBERS: signed-in users only."),
		field.String("review_note").Optional().MaxLen(2000).
			Comment("Why the secretariat sent the document back to its author.").Annotations(skipInputs),
		field.Time("published_at").Optional().Nillable().Comment("When the document was first published.").
			Annotations(entgql.OrderField("PUBLISHED_AT"), skipInputs),
		field.Int("author_id").Annotations(privateID).Optional().Nillable().Immutable().
			Comment("Set to the signed-in user on creation.").Annotations(skipInputs),
	}
}

// Edges of the Document.
func (Document) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("author", User.Type).Annotations(authz.SourceDecides).Field("author_id").Unique().Immutable().Annotations(noProbe),
		edge.To("files", DocumentFile.Type).Annotations(authz.TargetDecides).
			Comment("The files of the document, each in one language.").Annotations(noInput),
		edge.To("municipalities", Municipality.Type).Annotations(authz.SourceDecides).Annotations(entgql.RelayConnection()),
		edge.To("partnerships", Partnership.Type).Annotations(authz.SourceDecides).Annotations(entgql.RelayConnection()),
		edge.To("projects", Project.Type).Annotations(authz.SourceDecides).
			Comment("No has-projects filter: it would reveal concept projects.").
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Indexes of the Document.
func (Document) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "sector", "kind"), index.Fields("author_id")}
}

// Hooks of the Document.
func (Document) Hooks() []ent.Hook {
	return []ent.Hook{defaultViewer("author_id"), validateTranslations("title_translations", "summary_translations")}
}

// Policy of the Document: published documents are read by anyone (PUBLIC)
// or by signed-in users (MEMBERS); drafts by their author and the
// secretariat. Editors write their own drafts; the secretariat reviews.
func (Document) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.DocumentVisibility()},
		Mutation: authz.WritePolicy(authz.AllowDocumentAuthorWrites()),
	}
}

// Annotations of the Document.
func (Document) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// DocumentFile is a file of a document in one language. Its content type
// is detected from the content when it is uploaded; the bytes are in the
// Hub's file store under its storage key and are downloaded through the
// Hub (GET /files/{id}), under the document's rules.
type DocumentFile struct{ ent.Schema }

// Mixin of the DocumentFile.
func (DocumentFile) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the DocumentFile.
func (DocumentFile) Fields() []ent.Field {
	return []ent.Field{
		field.Int("document_id").Immutable(),
		field.String("language").Default("en").MaxLen(12).Validate(validLanguage).Immutable(),
		field.String("name").NotEmpty().MaxLen(255).Validate(notBlank).Immutable().
			Comment("The file name the uploader gave.").Annotations(entgql.OrderField("NAME")),
		field.String("content_type").NotEmpty().MaxLen(255).Immutable().
			Comment("The media type detected from the content, not the name."),
		field.Int64("size").Min(0).Immutable().Comment("Size in bytes.").Annotations(entgql.OrderField("SIZE")),
		field.String("checksum").NotEmpty().MaxLen(100).Immutable().Comment("SHA-256 of the content, hex-encoded."),
		field.String("storage_key").NotEmpty().MaxLen(500).Immutable().Unique().
			Comment("Where the file store keeps the bytes.").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the DocumentFile.
func (DocumentFile) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("document", Document.Type).Annotations(authz.SourceDecides, authz.VisibleWithSource).Ref("files").Field("document_id").
			Unique().Required().Immutable(),
	}
}

// Indexes of the DocumentFile.
func (DocumentFile) Indexes() []ent.Index { return []ent.Index{index.Fields("document_id")} }

// Policy of the DocumentFile: read with its document; written by whoever
// may change the document (its author while it is a draft, the secretariat).
func (DocumentFile) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.DocumentFileVisibility()},
		Mutation: authz.WritePolicy(authz.AllowDocumentFileWrites()),
	}
}

// Annotations of the DocumentFile: created by uploadDocumentFile only.
func (DocumentFile) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder()}
}
