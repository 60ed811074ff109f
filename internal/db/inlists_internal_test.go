package db

import (
	"database/sql/driver"
	"reflect"
	"testing"
)

// named returns values as the arguments database/sql hands a driver.
func named(values ...any) []driver.NamedValue {
	args := make([]driver.NamedValue, len(values))
	for i, v := range values {
		args[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return args
}

// TestAnyArrays checks which lists of placeholders become one array
// argument, and that the placeholders after them are numbered anew.
func TestAnyArrays(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		args        []any
		want        string
		wantArgs    []any
	}{
		{"integers, then another argument",
			`SELECT "a" FROM "t" WHERE "t"."id" IN ($1, $2, $3) AND "b" = $4 LIMIT $5`, []any{int64(1), int64(2), int64(3), "x", int64(10)},
			`SELECT "a" FROM "t" WHERE "t"."id" = ANY($1) AND "b" = $2 LIMIT $3`, []any{"{1,2,3}", "x", int64(10)}},
		{"strings are quoted",
			`SELECT 1 FROM "t" WHERE "b" = $1 AND "c" IN ($2, $3)`, []any{"k", `a,"b`, "c d"},
			`SELECT 1 FROM "t" WHERE "b" = $1 AND "c" = ANY($2)`, []any{"k", `{"a,\"b","c d"}`}},
		{"two lists",
			`SELECT 1 FROM "t" WHERE "a" IN ($1, $2) OR "b" IN ($3, $4)`, []any{int64(1), int64(2), "x", "y"},
			`SELECT 1 FROM "t" WHERE "a" = ANY($1) OR "b" = ANY($2)`, []any{"{1,2}", `{"x","y"}`}},
		{"NOT IN is left", `SELECT 1 FROM "t" WHERE "a" NOT IN ($1, $2)`, []any{int64(1), int64(2)}, "", nil},
		{"mixed values are left", `SELECT 1 FROM "t" WHERE "a" IN ($1, $2)`, []any{int64(1), "2"}, "", nil},
		{"a null is left", `SELECT 1 FROM "t" WHERE "a" IN ($1, $2)`, []any{int64(1), nil}, "", nil},
		{"times are left", `SELECT 1 FROM "t" WHERE "a" IN ($1, $2)`, []any{1.5, 2.5}, "", nil},
		{"a list written in a literal is left",
			`SELECT ' IN ($1, $2)' FROM "t" WHERE "a" = $1 AND "b" = $2`, []any{int64(1), int64(2)}, "", nil},
		{"an identifier holding the marker is left",
			`SELECT "x IN ($1, $2)" FROM "t" WHERE "a" = $1 AND "b" = $2`, []any{int64(1), int64(2)}, "", nil},
		{"placeholders out of order are left",
			`SELECT 1 FROM "t" WHERE "b" = $3 AND "a" IN ($1, $2)`, []any{int64(1), int64(2), int64(3)}, "", nil},
		{"a list of expressions is left", `SELECT 1 FROM "t" WHERE "a" IN ($1, $2 + 1)`, []any{int64(1), int64(2)}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, gotArgs := anyArrays(tc.query, named(tc.args...))
			want, wantArgs := tc.want, named(tc.wantArgs...)
			if want == "" {
				want, wantArgs = tc.query, named(tc.args...)
			}
			if got != want {
				t.Errorf("query\n got %s\nwant %s", got, want)
			}
			if !reflect.DeepEqual(gotArgs, wantArgs) {
				t.Errorf("arguments\n got %v\nwant %v", gotArgs, wantArgs)
			}
		})
	}
}
