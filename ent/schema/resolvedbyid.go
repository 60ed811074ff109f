package schema

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
