package schema

// Localized is the Ent field annotation of a text that the GraphQL schema
// exposes with a language argument, e.g. name(lang:) in graph/i18n.graphqls,
// instead of as the plain field. ent/entc.go leaves the plain field out of
// the generated GraphQL type (graph/ent.graphqls) but keeps it in entgql's
// field collection, so that a query selecting the text reads only its
// columns; the query template (ent/template/query.tmpl) then selects the
// Translations field with it.
type Localized struct {
	// Translations is the Ent field holding the text's translations.
	Translations string `json:"translations"`
}

// Name implements schema.Annotation.
func (Localized) Name() string { return "Localized" }
