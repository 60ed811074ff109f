package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// nested returns a valid query whose fields nest exactly depth (>= 4)
// levels: countries > edges > node > (municipalities > edges > node >
// country)* > a leaf of one to four levels.
func nested(depth int) string {
	var b strings.Builder
	b.WriteString("countries(first: 1) { edges { node { ")
	closing, left := 3, depth-3
	for left > 4 {
		b.WriteString("municipalities(first: 1) { edges { node { country { ")
		closing += 4
		left -= 4
	}
	leaves := []string{
		"id",
		"municipalities(first: 1) { totalCount }",
		"municipalities(first: 1) { edges { cursor } }",
		"municipalities(first: 1) { edges { node { id } } }",
	}
	b.WriteString(leaves[left-1])
	return "{ " + b.String() + strings.Repeat(" }", closing) + " }"
}

// aliases returns a query with n aliased fields.
func aliases(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: __typename", i)
	}
	return b.String() + " }"
}

// fragmentBomb returns a query whose fragments double n times: small to
// write, 2^n fields once expanded.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { countries(first: 1) { totalCount } }", n)
	return b.String()
}

// ids returns n node ids.
func ids(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = fmt.Sprint(i + 1)
	}
	return out
}

// TestLimits sends each kind of abusive query and checks that it is
// refused with its code, never a 5xx, and that the server answers a normal
// query afterwards.
func TestLimits(t *testing.T) {
	h := sqliteHub(t, nil)
	cases := []struct {
		name, query string
		vars        map[string]any
		code, msg   string
	}{
		{"depth 50", nested(50), nil, apierr.QueryTooDeep, "nested 50 levels"},
		{"depth 16", nested(16), nil, apierr.QueryTooDeep, "nested 16 levels"},
		{"1000 aliases", aliases(1000), nil, apierr.TooManyAliases, "aliases"},
		{"token flood", `{ countries(where: {codeIn: [` + strings.Repeat(`"UA", `, 20_000) + `]}) { totalCount } }`, nil, apierr.QueryTooLarge, "tokens"},
		{"10,000 repeated fields", "{" + strings.Repeat(" __typename", 10_000) + " }", nil, apierr.QueryTooLarge, ""},
		{"600 selections", "{" + strings.Repeat(" __typename", 600) + " }", nil, apierr.QueryTooLarge, "selections"},
		{"100 x 100 nested lists", `{ countries(first: 100) { edges { node { municipalities(first: 100) { edges { node { id } } } } } } }`, nil, apierr.QueryTooComplex, "cost"},
		{"lists without first", `{ countries { edges { node { municipalities { edges { node { regions: partnerships { totalCount } } } } } } } }`, nil, apierr.QueryTooComplex, ""},
		{"fragment bomb", fragmentBomb(40), nil, apierr.QueryTooComplex, ""},
		{"first 101", `{ countries(first: 101) { totalCount } }`, nil, apierr.PageSizeExceeded, "101"},
		{"last 101", `{ countries(last: 101) { totalCount } }`, nil, apierr.PageSizeExceeded, ""},
		{"negative first", `{ countries(first: -1) { totalCount } }`, nil, apierr.PageSizeExceeded, "negative"},
		{"first 101 in a variable", `query($n: Int) { countries(first: $n) { totalCount } }`, map[string]any{"n": 101}, apierr.PageSizeExceeded, ""},
		{"nested first 101", `{ countries(first: 1) { edges { node { municipalities(first: 101) { totalCount } } } } }`, nil, apierr.PageSizeExceeded, "Country.municipalities"},
		{"first 101 in a fragment", `{ ...F } fragment F on Query { countries(first: 101) { totalCount } }`, nil, apierr.PageSizeExceeded, ""},
		{"101 ids", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(101)}, apierr.PageSizeExceeded, "ids"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := h.post(t, c.query, c.vars)
			wantCode(t, resp, c.code)
			if !strings.Contains(resp.Errors[0].Message, c.msg) {
				t.Errorf("message %q does not mention %q", resp.Errors[0].Message, c.msg)
			}
			stillAnswers(t, h)
		})
	}
}

// TestLimitsAllowOrdinaryQueries checks that the limits leave room for
// what clients really ask: a full page, two modest nested lists, a
// 100-id nodes lookup, and a query at the depth limit.
func TestLimitsAllowOrdinaryQueries(t *testing.T) {
	h := sqliteHub(t, nil)
	for name, q := range map[string]string{
		"full page": `{ countries(first: 100) { totalCount edges { cursor node { id code name euMember } } pageInfo { hasNextPage endCursor } } }`,
		"nested":    `{ countries(first: 20) { edges { node { code municipalities(first: 20) { totalCount edges { node { id name population } } } } } } }`,
		"depth 15":  nested(15),
	} {
		t.Run(name, func(t *testing.T) { h.post(t, q, nil).NoErrors(t) })
	}
	t.Run("100 ids", func(t *testing.T) {
		// The ids do not exist: each is NOT_FOUND, but none is refused.
		resp := h.post(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(100)})
		wantCode(t, resp, apierr.NotFound)
		if resp.Status != http.StatusOK || len(resp.Errors) != 100 {
			t.Errorf("status %d with %d errors, want 200 with 100 NOT_FOUND", resp.Status, len(resp.Errors))
		}
	})
}

// TestBodyLimit checks that oversized bodies get 413 with a GraphQL error,
// whether their length is announced or streamed.
func TestBodyLimit(t *testing.T) {
	h := sqliteHub(t, nil)
	big := []byte(`{"query": "{ __typename }", "variables": {"pad": "` + strings.Repeat("x", 2_000_000) + `"}}`)
	t.Run("announced", func(t *testing.T) {
		resp := gqltest.PostRaw(t, h.endpoint(), "application/json", big, nil)
		wantCode(t, resp, apierr.RequestTooLarge)
		if resp.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", resp.Status)
		}
		stillAnswers(t, h)
	})
	t.Run("streamed", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, h.endpoint(), io.MultiReader(bytes.NewReader(big)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp := gqltest.Do(t, req, nil)
		wantCode(t, resp, apierr.RequestTooLarge)
		stillAnswers(t, h)
	})
	t.Run("malformed JSON", func(t *testing.T) {
		body := []byte(`{"query": "{ __typename }", "pad": "` + strings.Repeat("x", 100_000) + `"`)
		resp := gqltest.PostRaw(t, h.endpoint(), "application/json", body, nil)
		wantCode(t, resp, apierr.BadRequest)
		if len(resp.Errors[0].Message) > 400 {
			t.Errorf("the error quotes %d bytes of the body", len(resp.Errors[0].Message))
		}
		stillAnswers(t, h)
	})
	t.Run("not JSON", func(t *testing.T) {
		resp := gqltest.PostRaw(t, h.endpoint(), "text/plain", []byte(`{ __typename }`), nil)
		wantCode(t, resp, apierr.BadRequest)
		if resp.Status != http.StatusUnsupportedMediaType {
			t.Errorf("status %d, want 415", resp.Status)
		}
	})
}
