package seed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/bridgesoftrust/hub/graph"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// pilotQuery is the done-when query.
const pilotQuery = `{ partnerships(first: 50, where: {hasPhaseWith: [{name: "pilot"}]}) { totalCount edges { node {
  id status
  ukrainianMunicipality { name region { name } country { code } }
  europeanMunicipality { name country { code name } }
  phase { name } } } } }`

type pilotAnswer struct {
	Partnerships struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ID, Status            string
				UkrainianMunicipality struct {
					Name    string
					Region  struct{ Name string }
					Country struct{ Code string }
				}
				EuropeanMunicipality struct {
					Name    string
					Country struct{ Code, Name string }
				}
				Phase struct{ Name string }
			}
		}
	}
}

func TestDemoAnswersThePilotQuery(t *testing.T) {
	want := expectedCounts(t).pilot
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		if _, err := seed.DemoIfEmpty(authz.SystemContext(context.Background()), store.Client); err != nil {
			t.Fatal(err)
		}
		got := postQuery(t, store, pilotQuery)
		if got.Partnerships.TotalCount != want || len(got.Partnerships.Edges) != want {
			t.Fatalf("totalCount %d with %d edges, want %d", got.Partnerships.TotalCount, len(got.Partnerships.Edges), want)
		}
		found := false
		for _, e := range got.Partnerships.Edges {
			n := e.Node
			if n.Phase.Name != "pilot" {
				t.Errorf("partnership %s is in phase %q", n.ID, n.Phase.Name)
			}
			if n.UkrainianMunicipality.Name == "Chuhuiv" {
				found = n.UkrainianMunicipality.Region.Name == "Kharkiv" && n.UkrainianMunicipality.Country.Code == "UA" &&
					n.EuropeanMunicipality.Name == "Kuldīga" && n.EuropeanMunicipality.Country.Code == "LV"
			}
		}
		if !found {
			t.Errorf("Chuhuiv (Kharkiv) – Kuldīga (LV) missing or wrong: %+v", got)
		}
	})
}

// postQuery runs query against the store's GraphQL schema over HTTP POST
// and decodes the answer.
func postQuery(t *testing.T, store *db.Store, query string) pilotAnswer {
	t.Helper()
	srv := handler.New(graph.NewSchema(store.Client, nil, nil, nil))
	srv.AddTransport(transport.POST{})
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var resp struct {
		Data   pilotAnswer
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("query failed: %v %+v\n%s", err, resp.Errors, rec.Body.String())
	}
	return resp.Data
}
