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

// ResolvedByID is the Ent type annotation naming the hand-written GraphQL
// fields of the type that its resolvers answer from the node's id alone
// (say Municipality.partnerships, read by id in a batch). entgql's field
// collection selects every column when a query asks for a field it does
// not know; ent/entc.go makes these fields known to it as needing only the
// id, so that a page asking for them still reads only the columns it
// selects.
type ResolvedByID struct {
	// Fields are the GraphQL field names.
	Fields []string `json:"fields"`
}

// Name implements schema.Annotation.
func (ResolvedByID) Name() string { return "ResolvedByID" }
