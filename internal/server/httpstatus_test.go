package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// TestRequestErrorStatus checks the status and body of requests refused
// before execution under each media type of GraphQL over HTTP: 200 with
// application/json, 400 with application/graphql-response+json, and never
// a data entry; an operation that ran answers 200 with data either way.
func TestRequestErrorStatus(t *testing.T) {
	h := sqliteHub(t, func(c *server.Config) { c.MaxListItems = 2; c.MaxComplexity = 50 })
	cases := map[string]string{
		"parse":        `{ countries(`,
		"validation":   `{ noSuchField }`,
		"variable":     `query($n: Int!) { countries(first: $n) { totalCount } }`,
		"input cap":    `{ municipalities(where: {idIn: ["1", "2", "3"]}) { totalCount } }`,
		"too complex":  `{ countries(first: 100) { edges { node { municipalities(first: 100) { totalCount } } } } }`,
		"page size":    `{ countries(first: 100000) { totalCount } }`,
		"mixed own tx": `mutation { login(input: {email: "a@b.c", password: "x"}) { token } logout }`,
	}
	for name, query := range cases {
		for accept, want := range map[string]int{"application/json": http.StatusOK, "application/graphql-response+json": http.StatusBadRequest} {
			resp := gqltest.Post(t, h.endpoint(), query, nil, http.Header{"Accept": {accept}})
			if resp.Status != want || len(resp.Errors) == 0 || bytes.Contains(resp.Body, []byte(`"data"`)) {
				t.Errorf("%s, Accept %s: status %d %s; want %d, errors and no data entry", name, accept, resp.Status, resp.Body, want)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, accept) {
				t.Errorf("%s: Content-Type %q for Accept %s", name, got, accept)
			}
		}
	}
	for _, accept := range []string{"application/json", "application/graphql-response+json"} {
		resp := gqltest.Post(t, h.endpoint(), `{ node(id: "999999") { id } }`, nil, http.Header{"Accept": {accept}})
		if resp.Status != http.StatusOK || !bytes.Contains(resp.Body, []byte(`"data"`)) {
			t.Errorf("an executed query, Accept %s: %d %s", accept, resp.Status, resp.Body)
		}
	}

	noQuery := gqltest.PostRaw(t, h.endpoint(), "application/json", []byte(`{"variables": {}}`), http.Header{"Accept": {"application/json"}})
	if noQuery.Status != http.StatusBadRequest {
		t.Errorf("a request without query: %d %s, want 400", noQuery.Status, noQuery.Body)
	}
	get := gqltest.Get(t, h.endpoint(), `mutation { logout }`, nil, nil)
	if get.Status != http.StatusMethodNotAllowed || get.Header.Get("Allow") != "POST" {
		t.Errorf("a mutation over GET: %d (Allow %q) %s, want 405", get.Status, get.Header.Get("Allow"), get.Body)
	}
}
