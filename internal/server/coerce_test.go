package server_test

import (
	"context"
	"slices"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/collation"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// TestSingleObjectOrderByOnNestedConnection checks GraphQL's coercion of a
// single literal object to a list of one on a nested connection, which
// entgql's field collection reads from the query itself.
func TestSingleObjectOrderByOnNestedConnection(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	if err := seed.Demo(authz.SystemContext(context.Background()), store.Client); err != nil {
		t.Fatal(err)
	}
	h := startHub(t, store, nil)
	resp := h.post(t, `{ countries(where: {code: "LT"}) { edges { node {
		municipalities(first: 10, orderBy: {field: NAME, direction: DESC}) { edges { node { name } } } } } } }`, nil)
	resp.NoErrors(t)
	var data struct {
		Countries struct {
			Edges []struct {
				Node struct {
					Municipalities struct {
						Edges []struct{ Node struct{ Name string } }
					}
				}
			}
		}
	}
	resp.Decode(t, &data)
	if len(data.Countries.Edges) != 1 {
		t.Fatalf("want Lithuania, got %s", resp.Body)
	}
	var names []string
	for _, e := range data.Countries.Edges[0].Node.Municipalities.Edges {
		names = append(names, e.Node.Name)
	}
	sorted := slices.Clone(names)
	slices.SortFunc(sorted, collation.Compare)
	slices.Reverse(sorted)
	if len(names) < 2 || !slices.Equal(names, sorted) {
		t.Errorf("municipalities %q are not in descending name order", names)
	}
}
