package gqlexec

import (
	"strconv"
	"testing"
)

// TestEnumWritesTheValueQuoted checks that Enum writes what Ent's enums
// write (the value quoted), keeps a marshaller per value and finds it
// again without allocating.
func TestEnumWritesTheValueQuoted(t *testing.T) {
	for _, v := range []string{"ACTIVE", "CONCEPT", `odd "value"`} {
		if got, want := marshal(Enum(v)), strconv.Quote(v); got != want {
			t.Errorf("Enum(%q) wrote %s, want %s", v, got, want)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { Enum("ACTIVE") }); allocs != 0 {
		t.Errorf("a kept value allocated %v times", allocs)
	}
}
