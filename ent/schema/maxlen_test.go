package schema_test

import (
	"math"
	"testing"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"

	"github.com/bridgesoftrust/hub/internal/schematest"
	"github.com/bridgesoftrust/hub/internal/server/limits"
)

// TestStringFieldsAreBounded walks every field of the schema: a string or
// text field must declare a maximum length (MaxLen), and a list of strings
// a validator, so that no path (the API, the importer, the commands)
// stores text of any size. Every maximum of a field that the API's inputs
// set must fit under the server's cap on string arguments, or the cap
// would refuse values the schema allows.
func TestStringFieldsAreBounded(t *testing.T) {
	graph := schematest.Load(t, ".")
	capBytes := limits.DefaultMaxStringBytes
	checked := 0
	for _, node := range graph.Nodes {
		for _, f := range node.Fields {
			name := node.Name + "." + f.Name
			switch {
			case f.Type.Type == field.TypeString:
				checked++
				size := f.Column().Size
				if size <= 0 || size >= math.MaxInt32 || f.Validators == 0 {
					t.Errorf("%s has no maximum length: add MaxLen", name)
				}
				if isInput(t, f) && size > int64(capBytes) {
					t.Errorf("%s may be %d bytes long, over the server's cap on string arguments (%d)", name, size, capBytes)
				}
			case f.Type.Type == field.TypeJSON && f.Type.Ident == "[]string":
				checked++
				if f.Validators == 0 {
					t.Errorf("%s is a list of strings without a validator bounding it", name)
				}
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d string fields found; is the schema loaded?", checked)
	}
}

// isInput reports whether the API's create or update inputs set f.
func isInput(t *testing.T, f *gen.Field) bool {
	t.Helper()
	ant := &entgql.Annotation{}
	if raw, ok := f.Annotations[ant.Name()]; ok {
		if err := ant.Decode(raw); err != nil {
			t.Fatalf("decoding the entgql annotation of %s: %v", f.Name, err)
		}
	}
	return !ant.Skip.Is(entgql.SkipMutationCreateInput) || !ant.Skip.Is(entgql.SkipMutationUpdateInput)
}
