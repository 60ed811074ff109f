package apitest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// schemaType is a type of the GraphQL schema as introspection gives it.
type schemaType struct {
	Name   string
	Fields []schemaField
}

// schemaField is a field of a type, with its arguments and the named type
// it returns under its wrappers.
type schemaField struct {
	Name string
	Args []struct {
		Name string
		Type typeRef
	}
	Type typeRef
}

// typeRef is a type reference, wrappers (NON_NULL, LIST) first.
type typeRef struct {
	Kind   string
	Name   string
	OfType *typeRef
}

// named returns the named type under the reference's wrappers.
func (r typeRef) named() string {
	for r.OfType != nil {
		r = *r.OfType
	}
	return r.Name
}

// introspection reads every object type with its fields.
const introspection = `{ __schema { types { name fields { name type { ...ref } args { name type { ...ref } } } } } }
fragment ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

// connections returns, for each type, its fields that are Relay
// connections a page can be asked of (first, no other required argument),
// and the type of their nodes.
func connections(types []schemaType) map[string][]connectionField {
	nodeOf := map[string]string{}
	for _, t := range types {
		if !strings.HasSuffix(t.Name, "Connection") {
			continue
		}
		for _, f := range t.Fields {
			if f.Name == "edges" {
				for _, e := range types {
					if e.Name == f.Type.named() {
						for _, ef := range e.Fields {
							if ef.Name == "node" {
								nodeOf[t.Name] = ef.Type.named()
							}
						}
					}
				}
			}
		}
	}
	out := map[string][]connectionField{}
	for _, t := range types {
		for _, f := range t.Fields {
			node, ok := nodeOf[f.Type.named()]
			if ok && pageable(f) {
				out[t.Name] = append(out[t.Name], connectionField{name: f.Name, node: node})
			}
		}
	}
	return out
}

// connectionField is a connection of a type and the type of its nodes.
type connectionField struct{ name, node string }

// pageable reports whether f takes first and needs no other argument.
func pageable(f schemaField) bool {
	first := false
	for _, a := range f.Args {
		switch {
		case a.Name == "first":
			first = true
		case a.Type.Kind == "NON_NULL":
			return false
		}
	}
	return first
}

// nestedQuery is a query of three levels of connections: the first page
// of a root connection, of one of its nodes' connections, and of one of
// theirs, each with its total when totals.
func nestedQuery(root, inner, innermost connectionField, totals bool) string {
	total := ""
	if totals {
		total = "totalCount "
	}
	return fmt.Sprintf(`{ %s(first: 50) { %sedges { node { id %s(first: 5) { %sedges { node { id %s(first: 3) { %sedges { node { id } } } } } } } } } }`,
		root.name, total, inner.name, total, innermost.name, total)
}

// TestNestedConnectionsDoNotGrowWithData walks the schema: for every root
// connection, every connection of its nodes and every connection of
// theirs, it reads three levels of first pages (with and without their
// totals) as the secretariat, who reads every row, on a small and on a
// larger synthetic store, and checks that the number of statements does
// not grow with the rows: no level is read row by row. A page whose rows
// load a connection once folded into its parents' statement, and the
// connection was then read row by row; a new type or edge is walked
// without being named here.
func TestNestedConnectionsDoNotGrowWithData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, small *db.Store) {
		sizes := []struct {
			store                                                     *db.Store
			municipalities, partnerships, projects, activities, posts int
		}{
			{small, 20, 10, 5, 5, 1},
			{dbtest.Open(t, dbtestDialect(small)), 300, 600, 300, 300, 6},
		}
		var queries []string
		counts := make([][]int, len(sizes))
		for i, size := range sizes {
			err := seed.Synthetic(sys(), size.store.Client, seed.SyntheticOptions{
				Municipalities: size.municipalities, Partnerships: size.partnerships,
				Projects: size.projects, Activities: size.activities, Topics: size.posts * 5, PostsPerTopic: size.posts,
				Seed: 1, Logger: quietLogger(),
			})
			if err != nil {
				t.Fatalf("seeding %d partnerships: %v", size.partnerships, err)
			}
			cs, c := counted(size.store)
			// The walk sends hundreds of queries: beyond a client's budget.
			h := serveWith(t, cs, func(c *server.Config) { c.RateLimit.User = 1 << 30 })
			if queries == nil {
				queries = nestedQueries(t, h)
			}
			for _, q := range queries {
				counts[i] = append(counts[i], len(countStatements(t, h, c, true, q, nil, nil)))
			}
		}
		// A page that folds into its parents' statement on the small store
		// may have more parents than fold on the larger one and be read in
		// a statement of its own: one more for each level below the root.
		const levels = 2
		for j, q := range queries {
			if few, many := counts[0][j], counts[1][j]; many > few+levels {
				t.Errorf("%d statements on the small store, %d on the larger one: %s", few, many, q)
			}
		}
		t.Logf("%d nested queries walked", len(queries))
	})
}

// nestedQueries returns the three-level queries of every root connection
// of the schema that h serves.
func nestedQueries(t *testing.T, h *hub) []string {
	t.Helper()
	var schema struct {
		Schema struct{ Types []schemaType } `json:"__schema"`
	}
	h.data(t, introspection, nil, &schema)
	conns := connections(schema.Schema.Types)
	var queries []string
	for _, root := range conns["Query"] {
		for _, inner := range conns[root.node] {
			for _, innermost := range conns[inner.node] {
				for _, totals := range []bool{false, true} {
					queries = append(queries, nestedQuery(root, inner, innermost, totals))
				}
			}
		}
	}
	if len(queries) < 50 {
		t.Fatalf("%d nested queries in the schema: the walk found too few connections", len(queries))
	}
	return queries
}
