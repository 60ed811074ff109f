package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// TestGET checks GraphQL over HTTP GET: queries run, mutations are
// refused and write nothing.
func TestGET(t *testing.T) {
	h := sqliteHub(t, nil)
	createCountry(t, h, "UA", "Ukraine", false)

	resp := gqltest.Get(t, h.endpoint(), `query($c: [String!]) { countries(first: 5, where: {codeIn: $c}) { totalCount } }`,
		map[string]any{"c": []string{"UA"}}, nil)
	resp.NoErrors(t)
	if !strings.Contains(string(resp.Data), `"totalCount":1`) {
		t.Errorf("GET query data %s", resp.Data)
	}

	resp = gqltest.Get(t, h.endpoint(), `mutation { createCountry(input: {code: "PL", name: "Poland", euMember: true}) { id } }`, nil, nil)
	wantCode(t, resp, apierr.BadRequest)
	if n := countCountries(t, h); n != 1 {
		t.Errorf("after a GET mutation there are %d countries, want 1", n)
	}
}

// TestContentTypes checks that the response media type follows Accept.
func TestContentTypes(t *testing.T) {
	h := sqliteHub(t, nil)
	for accept, want := range map[string]string{
		"application/graphql-response+json": "application/graphql-response+json",
		"application/json":                  "application/json",
	} {
		resp := gqltest.Post(t, h.endpoint(), `{ __typename }`, nil, header("Accept", accept))
		resp.NoErrors(t)
		if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, want) {
			t.Errorf("Accept %s: Content-Type %s, want %s", accept, got, want)
		}
	}
}

// TestAPQ runs an automatic persisted query round trip: the hash alone
// is unknown, then registered with the query, then enough, over POST and
// GET.
func TestAPQ(t *testing.T) {
	h := sqliteHub(t, nil)
	query := `{ countries(first: 3) { totalCount } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}

	resp := gqltest.PostParams(t, h.endpoint(), gqltest.Params{Extensions: ext}, nil)
	wantCode(t, resp, "PERSISTED_QUERY_NOT_FOUND")

	gqltest.PostParams(t, h.endpoint(), gqltest.Params{Query: query, Extensions: ext}, nil).NoErrors(t)
	gqltest.PostParams(t, h.endpoint(), gqltest.Params{Extensions: ext}, nil).NoErrors(t)
	gqltest.GetParams(t, h.endpoint(), gqltest.Params{Extensions: ext}, nil).NoErrors(t)

	bad := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("0", 64)}}
	resp = gqltest.PostParams(t, h.endpoint(), gqltest.Params{Query: query, Extensions: bad}, nil)
	if resp.Code() == "" || resp.Status >= 500 {
		t.Errorf("mismatched hash: status %d body %s", resp.Status, resp.Body)
	}
}

// introspectionQuery is the schema query of graphql-js (GraphiQL's).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

// TestIntrospection checks that the explorer's schema query passes every
// limit when introspection is on and is refused when it is off.
func TestIntrospection(t *testing.T) {
	on := sqliteHub(t, nil)
	resp := on.post(t, introspectionQuery, nil)
	resp.NoErrors(t)
	if !strings.Contains(string(resp.Data), `"CreateCountryInput"`) {
		t.Error("introspection does not describe CreateCountryInput")
	}

	off := sqliteHub(t, func(c *server.Config) { c.Introspection = false })
	wantCode(t, off.post(t, introspectionQuery, nil), apierr.IntrospectionDisabled)
	wantCode(t, off.post(t, `{ __type(name: "Country") { name } }`, nil), apierr.IntrospectionDisabled)
	off.post(t, `{ __typename }`, nil).NoErrors(t)
	resp = off.post(t, `{ countrie { totalCount } }`, nil)
	wantCode(t, resp, apierr.ValidationFailed)
	if strings.Contains(resp.Errors[0].Message, "Did you mean") {
		t.Errorf("suggestions reveal the schema: %s", resp.Errors[0].Message)
	}
}

// TestExplorer checks the GraphiQL page at / and its switch.
func TestExplorer(t *testing.T) {
	on := sqliteHub(t, nil)
	status, body := get(t, on.url+"/")
	if status != http.StatusOK || !strings.Contains(body, "graphiql") {
		t.Errorf("explorer on: status %d", status)
	}
	off := sqliteHub(t, func(c *server.Config) { c.Explorer = false })
	if status, _ := get(t, off.url+"/"); status != http.StatusNotFound {
		t.Errorf("explorer off: status %d, want 404", status)
	}
}

// TestProbes checks /healthz and /readyz, and that /readyz answers 503
// once the database is gone while /healthz stays up.
func TestProbes(t *testing.T) {
	h := sqliteHub(t, nil)
	for _, path := range []string{"/healthz", "/readyz"} {
		if status, body := get(t, h.url+path); status != http.StatusOK || !strings.Contains(body, "ok") {
			t.Errorf("%s: status %d body %s", path, status, body)
		}
	}
	if err := h.store.DB.Close(); err != nil {
		t.Fatal(err)
	}
	if status, _ := get(t, h.url+"/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz without a database: status %d, want 503", status)
	}
	if status, _ := get(t, h.url+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz without a database: status %d, want 200", status)
	}
}

// TestRequestID checks that a sane X-Request-ID is kept, an unsafe one
// replaced, and that the access log carries it, with the operation and
// its estimated cost.
func TestRequestID(t *testing.T) {
	h := sqliteHub(t, nil)
	resp := gqltest.Post(t, h.endpoint(), `query Probe { countries(first: 2) { totalCount } }`, nil, header("X-Request-ID", "abc-123"))
	if got := resp.Header.Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("sane request id answered as %q", got)
	}
	if lines := h.logs.await("msg=request", "request_id=abc-123", "status=200", `operation="query Probe"`, "complexity="); len(lines) != 1 || strings.Contains(lines[0], "complexity=0 ") {
		t.Errorf("access log lines for abc-123: %q, want one with a non-zero complexity", lines)
	}
	resp = gqltest.Post(t, h.endpoint(), `{ __typename }`, nil, header("X-Request-ID", "bad id; "+strings.Repeat("x", 100)))
	// The replacement is a fresh random id: 32 hexadecimal digits (which
	// may spell "bad" by chance, so the test looks at the shape only).
	if got := resp.Header.Get("X-Request-ID"); len(got) != 32 || strings.Trim(got, "0123456789abcdef") != "" {
		t.Errorf("unsafe request id answered as %q", got)
	}
}

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := gqltest.Client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestNoSuggestionsWithoutIntrospection checks that no validation error
// suggests names ("Did you mean ...") when introspection is off: unknown
// fields, arguments, types, enum values and input fields, in the query
// and in variables. With introspection on, the same queries do get
// suggestions, which shows that each reaches a suggesting rule.
func TestNoSuggestionsWithoutIntrospection(t *testing.T) {
	on := sqliteHub(t, nil)
	off := sqliteHub(t, func(c *server.Config) { c.Introspection = false })
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		suggests    bool // with introspection on
	}{
		{"unknown field", `{ countrie { totalCount } }`, nil, true},
		{"unknown nested field", `{ countries { totalCont } }`, nil, true},
		{"unknown argument", `{ countries(frist: 1) { totalCount } }`, nil, true},
		{"unknown type of a variable", `query($w: CountryWhereInpt) { countries(where: $w) { totalCount } }`, nil, false},
		{"unknown fragment type", `{ ...F } fragment F on Qery { __typename }`, nil, true},
		{"unknown enum value", `{ countries(orderBy: {field: NAM}) { totalCount } }`, nil, true},
		{"string for an enum", `{ countries(orderBy: {field: "NAME"}) { totalCount } }`, nil, true},
		{"unknown input field", `{ countries(where: {nameContain: "a"}) { totalCount } }`, nil, true},
		{"object without selection", `{ countries }`, nil, true},
		{"unknown enum value in a variable", `query($o: [CountryOrder!]) { countries(orderBy: $o) { totalCount } }`,
			map[string]any{"o": []any{map[string]any{"field": "NAM"}}}, false},
		{"unknown input field in a variable", `query($w: CountryWhereInput) { countries(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"nameContain": "a"}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := off.post(t, c.query, c.vars)
			if resp.Code() != apierr.ValidationFailed || resp.Status >= 500 {
				t.Fatalf("want a validation error, got %d %s", resp.Status, resp.Body)
			}
			if strings.Contains(string(resp.Body), "Did you mean") {
				t.Errorf("suggestions reveal the schema: %s", resp.Body)
			}
			if on := on.post(t, c.query, c.vars); c.suggests && !strings.Contains(string(on.Body), "Did you mean") {
				t.Errorf("with introspection on, no suggestion: %s", on.Body)
			}
		})
	}
}
