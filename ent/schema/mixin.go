package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/collation"
	"github.com/bridgesoftrust/hub/internal/i18n"
)

// TimeMixin records when a row was created and last updated.
type TimeMixin struct{ mixin.Schema }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Immutable().Default(time.Now).
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.OrderField("UPDATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// NameMixin gives an entity an English name, which filters and ordering
// use, and its translations into other languages. The GraphQL type
// exposes name(lang:) from graph/i18n.graphqls instead of the raw field
// (see Localized).
type NameMixin struct{ mixin.Schema }

// Fields of the NameMixin.
func (NameMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).Validate(notBlank).
			Comment("Name in English.").
			Annotations(entgql.OrderField("NAME"), Localized{Translations: "name_translations"},
				// Names sort as readers expect, diacritics beside their base
				// letter, on both stores (the SQLite migrations add the
				// COLLATE by hand: Atlas does not write it for SQLite).
				entsql.Annotation{Collation: collation.Name}),
		translations("name_translations", "The name in other languages, keyed by language code, e.g. {\"uk\": \"Чугуїв\"}."),
	}
}

// Hooks of the NameMixin.
func (NameMixin) Hooks() []ent.Hook { return []ent.Hook{validateTranslations("name_translations")} }

// translations declares an optional multilingual text field.
func translations(name, comment string) ent.Field {
	return field.JSON(name, i18n.Texts{}).Optional().Comment(comment).
		Annotations(entgql.Type("Translations"))
}

// AuditMixin records every successful change of the entity in the audit log.
type AuditMixin struct{ mixin.Schema }

// Hooks of the AuditMixin.
func (AuditMixin) Hooks() []ent.Hook { return []ent.Hook{audit.Hook()} }
