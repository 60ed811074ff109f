package gqlexec

import (
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// Object is a resolved object written as JSON: gqlgen's own field set
// copies each field and allocates a map of the aliases written for every
// object it marshals, which on a page of hundreds of nodes was a fifth of
// the Hub's allocations.
type Object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

// NewObject returns the object whose fields (as graphql.CollectFields
// returns them: one per response name) resolved to values.
func NewObject(fields []graphql.CollectedField, values []graphql.Marshaler) Object {
	return Object{fields: fields, values: values}
}

// MarshalGQL writes the object's fields in order. Response names are
// GraphQL names ([_A-Za-z][_0-9A-Za-z]*), which need no escaping, and
// graphql.CollectFields has merged the fields that share one.
func (o Object) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, "{")
	for i := range o.fields {
		if i > 0 {
			_, _ = io.WriteString(w, `,"`)
		} else {
			_, _ = io.WriteString(w, `"`)
		}
		_, _ = io.WriteString(w, o.fields[i].Alias)
		_, _ = io.WriteString(w, `":`)
		o.values[i].MarshalGQL(w)
	}
	_, _ = io.WriteString(w, "}")
}
