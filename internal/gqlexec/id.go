package gqlexec

import (
	"bytes"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalIntID writes an integer id as the GraphQL ID it is, a JSON string
// of its digits, as gqlgen's graphql.MarshalIntID does; gqlgen.yml binds
// the ID scalar here. gqlgen's allocates a closure and the digits' string
// for every id written (every node of a page has one); this one allocates
// at most the boxed integer and writes the digits from the stack.
func MarshalIntID(i int) graphql.Marshaler {
	return intID(i)
}

// UnmarshalIntID reads an ID argument as gqlgen's graphql.UnmarshalIntID.
func UnmarshalIntID(v any) (int, error) {
	return graphql.UnmarshalIntID(v)
}

// intID is an id being written (see MarshalIntID).
type intID int

// MarshalGQL implements graphql.Marshaler.
func (i intID) MarshalGQL(w io.Writer) {
	if b, ok := w.(*bytes.Buffer); ok { // the executor's response buffer
		var digits [24]byte
		_, _ = b.Write(appendQuotedInt(digits[:0], int(i)))
		return
	}
	_, _ = w.Write(appendQuotedInt(nil, int(i)))
}

// appendQuotedInt appends i to b as a JSON string of its digits.
func appendQuotedInt(b []byte, i int) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, int64(i), 10)
	return append(b, '"')
}
