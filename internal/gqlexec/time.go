package gqlexec

import (
	"bytes"
	"io"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalTime writes a time as gqlgen's graphql.MarshalTime does, a JSON
// string of RFC 3339 with nanoseconds; gqlgen.yml binds the Time scalar
// here. gqlgen's allocates a closure, the formatted text and its quoted
// copy for every time written (a forum page writes a hundred); this one
// allocates at most the boxed time and formats it on the stack. Unlike
// gqlgen's, it writes the zero time as the time it is
// ("0001-01-01T00:00:00Z"), not as null: the Hub's times are either
// non-null fields, where gqlgen's null became an error that took the
// whole object with it, or pointers, nil for no time. So a non-null time
// marshals without its field's context (graph/codegen/plain.go).
func MarshalTime(t time.Time) graphql.Marshaler {
	return timeValue(t)
}

// UnmarshalTime reads a Time argument as gqlgen's graphql.UnmarshalTime.
func UnmarshalTime(v any) (time.Time, error) {
	return graphql.UnmarshalTime(v)
}

// timeValue is a time being written (see MarshalTime).
type timeValue time.Time

// MarshalGQL implements graphql.Marshaler.
func (t timeValue) MarshalGQL(w io.Writer) {
	if b, ok := w.(*bytes.Buffer); ok { // the executor's response buffer
		var text [48]byte
		_, _ = b.Write(t.appendQuoted(text[:0]))
		return
	}
	_, _ = w.Write(t.appendQuoted(nil))
}

// appendQuoted appends the time to b as a JSON string. RFC 3339 text has
// nothing that JSON escapes, so quoting it is adding the quotes.
func (t timeValue) appendQuoted(b []byte) []byte {
	b = append(b, '"')
	b = time.Time(t).AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
