package gqlexec

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestMarshalIntIDAsGqlgen checks that ids are written as gqlgen writes
// them, into the executor's buffer or any writer, and that writing one
// into a buffer with room allocates nothing.
func TestMarshalIntIDAsGqlgen(t *testing.T) {
	for _, id := range []int{0, 7, 255, 256, 12884902312, -42, math.MaxInt64, math.MinInt64} {
		var want, got bytes.Buffer
		graphql.MarshalIntID(id).MarshalGQL(&want)
		MarshalIntID(id).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("id %d written %s, gqlgen writes %s", id, got.String(), want.String())
		}
		var other strings.Builder
		MarshalIntID(id).MarshalGQL(&other)
		if other.String() != want.String() {
			t.Errorf("id %d written %s to a strings.Builder, want %s", id, other.String(), want.String())
		}
	}
	id := MarshalIntID(17179872447)
	var buf bytes.Buffer
	buf.Grow(1 << 10)
	if n := testing.AllocsPerRun(100, func() {
		buf.Reset()
		id.MarshalGQL(&buf)
	}); n != 0 {
		t.Errorf("writing an id allocates %v times, want 0", n)
	}
}
