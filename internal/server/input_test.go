package server_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// idList writes n ids as a GraphQL list literal.
func idList(n int) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		b.WriteString(strconv.Itoa(i+1) + " ")
	}
	return b.String() + "]"
}

// TestInputCaps checks that lists, value counts and strings over the caps
// of the configuration are refused with BAD_USER_INPUT and the field, on
// every database, through literals and variables, before they reach the
// store.
func TestInputCaps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := startHub(t, store, nil)
		cfg := server.DefaultConfig()
		countIn := `query($c: [ID!]) { countries(where: {idIn: $c}) { totalCount } }`
		h.post(t, countIn, map[string]any{"c": ids(cfg.MaxListItems)}).NoErrors(t)

		for _, c := range []struct {
			name, query string
			vars        map[string]any
			field, msg  string
		}{
			{"a list over the cap in a variable", countIn, map[string]any{"c": ids(cfg.MaxListItems + 1)}, "idIn", "at most 1000"},
			{"a huge list", countIn, map[string]any{"c": ids(40_000)}, "idIn", "40000 items"},
			{"a list over the cap written in the query", `{ countries(where: {idIn: ` + idList(cfg.MaxListItems+1) + `}) { totalCount } }`, nil, "idIn", "at most 1000"},
			{"a string list over the cap", `query($c: [String!]) { countries(where: {codeIn: $c}) { totalCount } }`,
				map[string]any{"c": strings.Split(strings.Repeat("UA,", cfg.MaxListItems+1), ",")}, "codeIn", "items"},
			{"a list over the cap on an edge", `mutation($a: [ID!]) { createAssociation(input: {name: "X", acronym: "X", memberIDs: $a}) { id } }`,
				map[string]any{"a": ids(cfg.MaxListItems + 1)}, "memberIDs", "items"},
			{"lists that add up to too many values", `query($c: [ID!]) { countries(where: {or: [` +
				strings.Repeat(`{idIn: $c} `, 11) + `]}) { totalCount } }`, map[string]any{"c": ids(cfg.MaxListItems)}, "idIn", "values"},
			{"a string over the cap", `query($s: String) { countries(where: {nameContains: $s}) { totalCount } }`,
				map[string]any{"s": strings.Repeat("a", cfg.MaxStringBytes+1)}, "nameContains", "bytes"},
			{"a name over the schema's length", `mutation($n: String!) { createCountry(input: {code: "PL", name: $n}) { id } }`,
				map[string]any{"n": strings.Repeat("a", 201)}, "name", ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				resp := h.post(t, c.query, c.vars)
				wantError(t, resp, apierr.BadUserInput, c.field, c.msg)
			})
		}
		if n := countCountries(t, h); n != 0 {
			t.Errorf("refused mutations stored %d countries", n)
		}
	})
}

// TestTextWithoutNUL checks that a NUL character or bytes that are not
// UTF-8 are refused in any string argument, literal or variable, in
// filters, inputs and JSON scalars, on every database (PostgreSQL cannot
// store NUL, which used to answer INTERNAL_SERVER_ERROR).
func TestTextWithoutNUL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := startHub(t, store, nil)
		for _, c := range []struct {
			name, query string
			vars        map[string]any
			field       string
		}{
			{"in a filter literal", `{ countries(where: {nameContains: "a\u0000b"}) { totalCount } }`, nil, "nameContains"},
			{"in a filter variable", `query($s: String) { countries(where: {nameContains: $s}) { totalCount } }`, map[string]any{"s": "a\x00b"}, "nameContains"},
			{"in a nested filter", `query($s: String) { countries(where: {hasRegionsWith: [{not: {name: $s}}]}) { totalCount } }`, map[string]any{"s": "\x00"}, "name"},
			{"in a nested connection's filter", `query($s: String) { countries { edges { node { regions(where: {name: $s}) { totalCount } } } } }`, map[string]any{"s": "\x00"}, "name"},
			{"in a mutation input", `mutation { createCountry(input: {code: "PL", name: "Pol\u0000and"}) { id } }`, nil, "name"},
			{"in an input variable", `mutation($in: CreateCountryInput!) { createCountry(input: $in) { id } }`,
				map[string]any{"in": map[string]any{"code": "PL", "name": "Poland\x00"}}, "name"},
			{"in a translation", `mutation($t: Translations) { createCountry(input: {code: "PL", name: "Poland", nameTranslations: $t}) { id } }`,
				map[string]any{"t": map[string]any{"pl": "Pol\x00ska"}}, "pl"},
			{"in a translation's key", `mutation($t: Translations) { createCountry(input: {code: "PL", name: "Poland", nameTranslations: $t}) { id } }`,
				map[string]any{"t": map[string]any{"p\x00l": "Polska"}}, "p\x00l"},
			{"in a sign-in", `mutation { login(input: {email: "a\u0000@example.org", password: "x"}) { token } }`, nil, "email"},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantError(t, h.post(t, c.query, c.vars), apierr.BadUserInput, c.field, "NUL")
			})
		}
		t.Run("bytes that are not UTF-8", func(t *testing.T) {
			resp := gqltest.Get(t, h.endpoint(), "{ countries(where: {nameContains: \"a\xff\xfeb\"}) { totalCount } }", nil, nil)
			wantError(t, resp, apierr.BadUserInput, "nameContains", "UTF-8")
		})
		if n := countCountries(t, h); n != 0 {
			t.Errorf("refused mutations stored %d countries", n)
		}
	})
}

// TestMalformedIDs checks that an id that is not one (letters, a sign, a
// fraction, out of range, not a string or number) answers BAD_USER_INPUT
// without Go's error text wherever an ID goes, and that a well-formed id
// that names nothing of the right type answers NOT_FOUND.
func TestMalformedIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := startHub(t, store, nil)
		ua := createCountry(t, h, "UA", "Ukraine", false)
		resp := h.post(t, `mutation($c: ID!) { createRegion(input: {name: "Kharkiv Oblast", countryID: $c}) { id } }`, map[string]any{"c": ua})
		resp.NoErrors(t)
		var region struct{ CreateRegion struct{ ID string } }
		resp.Decode(t, &region)

		uses := map[string]string{
			"node":       `query($i: ID!) { node(id: $i) { id } }`,
			"nodes":      `query($i: ID!) { nodes(ids: ["1", $i]) { id } }`,
			"a filter":   `query($i: ID!) { countries(where: {idIn: [$i]}) { totalCount } }`,
			"an update":  `mutation($i: ID!) { updateCountry(id: $i, input: {name: "X"}) { id } }`,
			"an edge id": `mutation($i: ID!) { createRegion(input: {name: "X", countryID: $i}) { id } }`,
		}
		for _, bad := range []any{"abc", "-5", "1.5", "", " 1", "0x10", "99999999999999999999", "9223372036854775808", -5, 1.5, true, map[string]any{"id": 1}} {
			for use, query := range uses {
				t.Run(fmt.Sprintf("%s %#v", use, bad), func(t *testing.T) {
					resp := h.post(t, query, map[string]any{"i": bad})
					if resp.Code() != apierr.BadUserInput && resp.Code() != apierr.ValidationFailed {
						t.Fatalf("want BAD_USER_INPUT (or a validation error for a value GraphQL does not take as an ID), got %s", resp.Body)
					}
					for _, leak := range []string{"strconv", "parsing", "Atoi", "invalid syntax"} {
						if strings.Contains(string(resp.Body), leak) {
							t.Errorf("the answer shows Go's error text %q: %s", leak, resp.Body)
						}
					}
				})
			}
		}
		t.Run("literal ids", func(t *testing.T) {
			wantError(t, h.post(t, `{ node(id: "abc") { id } }`, nil), apierr.BadUserInput, "id", "not an id")
			wantError(t, h.post(t, `{ node(id: -5) { id } }`, nil), apierr.BadUserInput, "id", "not an id")
			wantError(t, h.post(t, `mutation { updateCountry(id: "12a", input: {name: "X"}) { id } }`, nil), apierr.BadUserInput, "id", "not an id")
		})
		t.Run("well-formed but missing or of another type", func(t *testing.T) {
			for _, id := range []string{"999999", "0", region.CreateRegion.ID, "9223372036854775807"} {
				resp := h.post(t, `mutation($i: ID!) { updateCountry(id: $i, input: {name: "X"}) { id } }`, map[string]any{"i": id})
				wantError(t, resp, apierr.NotFound, "", "not found")
			}
		})
		t.Run("malformed cursors", func(t *testing.T) {
			for _, cursor := range []string{"not a cursor", "gaFp", "AAAA"} {
				resp := h.post(t, `query($a: Cursor) { countries(first: 1, after: $a) { totalCount } }`, map[string]any{"a": cursor})
				wantError(t, resp, apierr.BadUserInput, "after", "not a cursor")
			}
		})
	})
}
