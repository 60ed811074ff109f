package gqlexec

import (
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/internal/readmostly"
)

// Enum returns the marshaller of an enum value, which writes the value
// quoted. Ent's enums marshal themselves by quoting their value anew each
// time, and the executor boxes each value it returns: two allocations for
// every status of a page of partnerships. Enum keeps one marshaller per
// value instead (graph/codegen points the marshallers of Ent's enums
// here). Values beyond maxEnumValues are not kept, so that values the
// schema does not know cannot grow the map without bound.
func Enum(value string) graphql.Marshaler {
	if m, ok := enums.Load(value); ok {
		return m
	}
	var m graphql.Marshaler = quotedEnum(strconv.Quote(value))
	if enums.Len() < maxEnumValues {
		enums.Store(value, m)
	}
	return m
}

// maxEnumValues bounds the enum values Enum keeps: the schema's enums
// have a few hundred values in all.
const maxEnumValues = 4096

// enums are the marshallers Enum keeps, by value.
var enums readmostly.Map[string, graphql.Marshaler]

// quotedEnum is an enum value, quoted as JSON.
type quotedEnum string

// MarshalGQL writes the quoted value.
func (q quotedEnum) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, string(q)) }
