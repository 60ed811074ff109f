package gqlexec

import (
	"bytes"
	"context"
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
// graphql.CollectFields has merged the fields that share one. The
// executor writes into a bytes.Buffer (see ResponseBuffer), which takes
// the punctuation directly rather than through io.WriteString's
// interface check for each piece.
func (o Object) MarshalGQL(w io.Writer) {
	b, ok := w.(*bytes.Buffer)
	if !ok {
		b = &bytes.Buffer{}
		defer func() { _, _ = w.Write(b.Bytes()) }()
	}
	b.WriteByte('{')
	for i := range o.fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(o.fields[i].Alias)
		b.WriteString(`":`)
		o.values[i].MarshalGQL(b)
	}
	b.WriteByte('}')
}

// Fields holds the values of an object's fields while the generated
// executor resolves them in order (in place of gqlgen's graphql.FieldSet,
// whose scheduling of concurrent fields the Hub's objects do not use, and
// which cost an allocation per object marshalled).
type Fields struct {
	// Values are the fields' values, in the order of the collected fields.
	Values []graphql.Marshaler
	// Invalids counts the non-null fields that resolved to null: the
	// object is then null itself.
	Invalids uint32
}

// NewFields returns the values of an object with n fields.
func NewFields(n int) Fields { return Fields{Values: make([]graphql.Marshaler, n)} }

// Dispatch has nothing to do: every field has resolved when it is called.
// It stands where the executor dispatches gqlgen's concurrent fields.
func (*Fields) Dispatch(context.Context) {}
