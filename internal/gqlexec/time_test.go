package gqlexec

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// TestMarshalTimeAsGqlgen checks that times are written as gqlgen writes
// them (zones, nanoseconds and years past 9999 kept), into the executor's
// buffer or any writer, the zero time as itself where gqlgen writes null,
// that writing one into a buffer with room allocates nothing, and that
// arguments read alike.
func TestMarshalTimeAsGqlgen(t *testing.T) {
	var zero bytes.Buffer
	MarshalTime(time.Time{}).MarshalGQL(&zero)
	if want := `"0001-01-01T00:00:00Z"`; zero.String() != want {
		t.Errorf("the zero time written %s, want %s", zero.String(), want)
	}
	kyiv := time.FixedZone("Kyiv", 3*3600)
	for _, tm := range []time.Time{
		time.Date(2025, 9, 29, 3, 59, 0, 0, time.UTC),
		time.Date(2026, 11, 29, 15, 4, 5, 123456789, kyiv),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(12026, 1, 2, 3, 4, 5, 600, time.FixedZone("", -(9*3600+30*60))),
	} {
		var want, got bytes.Buffer
		graphql.MarshalTime(tm).MarshalGQL(&want)
		MarshalTime(tm).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("time %v written %s, gqlgen writes %s", tm, got.String(), want.String())
		}
		var other strings.Builder
		MarshalTime(tm).MarshalGQL(&other)
		if other.String() != want.String() {
			t.Errorf("time %v written %s to a strings.Builder, want %s", tm, other.String(), want.String())
		}
	}
	v := MarshalTime(time.Date(2026, 11, 29, 15, 4, 5, 123456789, kyiv))
	var buf bytes.Buffer
	buf.Grow(1 << 10)
	if n := testing.AllocsPerRun(100, func() {
		buf.Reset()
		v.MarshalGQL(&buf)
	}); n != 0 {
		t.Errorf("writing a time allocates %v times, want 0", n)
	}
	for _, arg := range []any{nil, "", "2026-11-29T15:04:05.5+03:00", "2026-11-29T15:04:05Z", "2026-11-29 15:04:05", "soon", 17} {
		want, wantErr := graphql.UnmarshalTime(arg)
		got, err := UnmarshalTime(arg)
		if !got.Equal(want) || (err == nil) != (wantErr == nil) {
			t.Errorf("argument %v read as %v, %v; gqlgen reads %v, %v", arg, got, err, want, wantErr)
		}
	}
}
