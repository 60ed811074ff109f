package limits_test

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/server/limits"
)

// shape checks query against small limits and returns the refusal code,
// or "".
func shape(t *testing.T, query string) string {
	t.Helper()
	s := limits.Shape{Limits: limits.Limits{MaxTokens: 100, MaxSelections: 20, MaxDepth: 3, MaxAliases: 2}}
	err := s.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: query})
	if err == nil {
		return ""
	}
	code, _ := err.Extensions["code"].(string)
	return code
}

func TestShape(t *testing.T) {
	for _, c := range []struct{ name, query, code string }{
		{"within limits", `{ a { b { c } } x: d y: e }`, ""},
		{"too deep", `{ a { b { c { d } } } }`, apierr.QueryTooDeep},
		{"too deep through fragments", `{ a { ...F } } fragment F on T { b { ...G } } fragment G on T { c { d } }`, apierr.QueryTooDeep},
		{"inline fragments do not nest", `{ a { ... on T { ... on T { b { c } } } } }`, ""},
		{"fragment cycle does not hang", `{ ...F } fragment F on Q { ...G } fragment G on Q { ...F }`, ""},
		{"unknown fragment", `{ ...Nope }`, ""},
		{"introspection depth is gqlparser's", `{ __schema { types { fields { type { ofType { name } } } } } }`, ""},
		{"too many aliases", `{ x: a y: a z: a }`, apierr.TooManyAliases},
		{"aliases in fragments count", `{ x: a ...F } fragment F on Q { y: a z: a }`, apierr.TooManyAliases},
		{"an alias equal to the name is none", `{ a: a b: b c: c }`, ""},
		{"too many selections", "{" + strings.Repeat(" a", 21) + " }", apierr.QueryTooLarge},
		{"too many tokens", `{ a(list: [` + strings.Repeat("1 ", 100) + `]) }`, apierr.QueryTooLarge},
		{"syntax errors are gqlgen's", `{ a `, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := shape(t, c.query); got != c.code {
				t.Errorf("code %q, want %q", got, c.code)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	ctx := context.Background()
	if limits.MaxPageSize(ctx, 100) != 100 || limits.MaxComplexity(ctx, 10) != 10 {
		t.Error("without overrides the defaults apply")
	}
	ctx = limits.WithMaxComplexity(limits.WithMaxPageSize(ctx, 1000), 50_000)
	if limits.MaxPageSize(ctx, 100) != 1000 || limits.MaxComplexity(ctx, 10) != 50_000 {
		t.Error("overrides from the context apply")
	}
}
