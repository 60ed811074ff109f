package apitest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// mapQuery is the community portal's map: partnerships with both
// municipalities, their countries and regions, and the phase.
const mapQuery = `query Map($first: Int) { partnerships(first: $first) { totalCount pageInfo { hasNextPage endCursor }
	edges { node { id status startDate
		ukrainianMunicipality { id name latitude longitude region { name } country { code name } }
		europeanMunicipality { id name latitude longitude region { name } country { code name } }
		phase { name } } } } }`

// mapAnswer is the data of mapQuery, as far as the tests look at it.
type mapAnswer struct {
	Partnerships struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ID                                          string
				UkrainianMunicipality, EuropeanMunicipality struct {
					Name    string
					Country struct{ Code string }
				}
				Phase struct{ Name string }
			}
		}
	}
}

// counter is an Ent driver that counts the statements sent through it,
// inside transactions too, and keeps them for failure messages.
type counter struct {
	dialect.Driver
	mu    sync.Mutex
	stmts []string
}

// note records one statement.
func (c *counter) note(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stmts = append(c.stmts, query)
}

// reset forgets the statements counted so far.
func (c *counter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stmts = nil
}

// statements returns the statements counted since the last reset.
func (c *counter) statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.stmts...)
}

// Exec implements dialect.Driver.
func (c *counter) Exec(ctx context.Context, query string, args, v any) error {
	c.note(query)
	return c.Driver.Exec(ctx, query, args, v)
}

// Query implements dialect.Driver.
func (c *counter) Query(ctx context.Context, query string, args, v any) error {
	c.note(query)
	return c.Driver.Query(ctx, query, args, v)
}

// ExecContext passes raw statements (e.g. NOTIFY) on, counting them.
func (c *counter) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.note(query)
	return c.Driver.(*entsql.Driver).ExecContext(ctx, query, args...)
}

// QueryContext passes raw queries on, counting them.
func (c *counter) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.note(query)
	return c.Driver.(*entsql.Driver).QueryContext(ctx, query, args...)
}

// Tx implements dialect.Driver.
func (c *counter) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := c.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, c: c}, nil
}

// BeginTx starts a transaction with options (entgql's Transactioner uses
// the client's Tx, the importer BeginTx).
func (c *counter) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := c.Driver.(*entsql.Driver).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, c: c}, nil
}

// countingTx counts the statements of a transaction.
type countingTx struct {
	dialect.Tx
	c *counter
}

// Exec implements dialect.Tx.
func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.c.note(query)
	return t.Tx.Exec(ctx, query, args, v)
}

// Query implements dialect.Tx.
func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.c.note(query)
	return t.Tx.Query(ctx, query, args, v)
}

// ExecContext passes raw statements on, counting them.
func (t *countingTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.c.note(query)
	ex, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("transaction %T has no ExecContext", t.Tx)
	}
	return ex.ExecContext(ctx, query, args...)
}

// counted returns a store sharing store's database handle whose Ent client
// counts its statements. It must not be closed: store owns the handle.
func counted(store *db.Store) (*db.Store, *counter) {
	drv := entsql.OpenDB(store.Dialect, store.DB)
	c := &counter{Driver: drv}
	return &db.Store{Client: db.NewClient(c), DB: store.DB, Dialect: store.Dialect, Driver: drv}, c
}

// dbtestDialect names store's dialect as package dbtest does.
func dbtestDialect(store *db.Store) string {
	if store.Dialect == dialect.Postgres {
		return "postgres"
	}
	return "sqlite"
}

// countStatements sends query with vars (anonymously, or as the secretariat when
// signedIn) once to warm up, then again, and returns the statements of
// the second request and its data.
func countStatements(t *testing.T, h *hub, c *counter, signedIn bool, query string, vars map[string]any, v any) []string {
	t.Helper()
	send := h.query
	if signedIn {
		send = h.mutate
	}
	send(t, query, vars).NoErrors(t)
	c.reset()
	resp := send(t, query, vars)
	stmts := c.statements()
	resp.NoErrors(t)
	if v != nil {
		resp.Decode(t, v)
	}
	return stmts
}

// statementCase is a query whose statement count must not depend on the
// amount of data.
type statementCase struct {
	name, query string
	vars        map[string]any
	signedIn    bool
	// known, when set, describes a known N+1, reported: a growing count
	// then skips the case.
	known string
}

// statementCases are the portal's map query and other queries that nest
// edges and connections.
var statementCases = []statementCase{
	{name: "map query, anonymous", query: mapQuery, vars: map[string]any{"first": 100}},
	{name: "map query, signed in", query: mapQuery, vars: map[string]any{"first": 100}, signedIn: true},
	{name: "partnerships of a phase with nested connections", query: `{ partnerships(first: 100, where: {hasPhaseWith: [{name: "community-hub"}]}) {
		totalCount edges { node { id phase { name } facilitators(first: 5) { totalCount edges { node { acronym } } }
		activities(first: 5) { totalCount edges { node { title } } } } } } }`},
	{name: "countries with nested totals and pages", query: `{ countries(first: 30) { edges { node { code
		municipalities(first: 3, orderBy: [{field: NAME}]) { totalCount edges { node { name } } }
		regions(first: 1) { totalCount } } } } }`},
	{name: "municipalities with their partnerships by side", query: `{ municipalities(first: 100) { edges { node { name region { name } country { code }
		uaPartnerships(first: 5) { totalCount edges { node { id europeanMunicipality { name } } } }
		euPartnerships(first: 5) { totalCount } } } } }`},
	{name: "projects, anonymous", query: `{ projects(first: 100) { totalCount edges { node { title status
		partnership { id phase { name } } leadMunicipality { name } funders(first: 3) { totalCount } } } } }`},
	{name: "projects, signed in", query: `{ projects(first: 100) { totalCount edges { node { title status
		partnership { id phase { name } } leadMunicipality { name } funders(first: 3) { totalCount } } } } }`, signedIn: true},
	{name: "activities with organiser and partnerships", query: `{ activities(first: 100) { totalCount edges { node { title organiser { acronym }
		partnerships(first: 3) { totalCount edges { node { ukrainianMunicipality { name } } } } } } } }`},
	{name: "partnerships with their health, anonymous", query: `{ partnerships(first: 100) { edges { node { id
		health { lastActivityAt projectsByStatus { status count } fundingSecured } } } } }`},
	{name: "partnerships with their health, signed in", query: `{ partnerships(first: 100) { edges { node { id
		health { lastActivityAt projectsByStatus { status count } fundingSecured } } } } }`, signedIn: true},
	{name: "most connected municipalities with their edges", query: `{ mostConnectedMunicipalities(first: 50) { degree
		municipality { name country { code } region { name } uaPartnerships(first: 2) { totalCount edges { node { id } } } } } }`},
	{name: "partnership clusters with their edges", query: `{ partnershipClusters(first: 5) { clusters { size
		municipalities { name country { code } } partnerships { phase { name } europeanMunicipality { name } } } } }`},
	{name: "projects of partnerships with their funders, no totals", query: `{ partnerships(first: 100) { edges { node { id
		projects(first: 3) { edges { node { title funders(first: 2) { edges { node { acronym } } } } } } } } } }`},
	{name: "municipalities with partnerships on either side", query: `{ municipalities(first: 100) { edges { node { name
		partnerships(first: 5) { totalCount edges { node { id } } } } } } }`},
}

// TestStatementsDoNotGrowWithData checks that each statement case costs
// the same number of SQL statements on a small synthetic graph (10
// partnerships) as on a larger one (1,000, of which pages show 100): no
// statement per row. The counts are logged; the map query's is the one
// the issue asks for.
func TestStatementsDoNotGrowWithData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, small *db.Store) {
		sizes := []struct {
			store                                              *db.Store
			municipalities, partnerships, projects, activities int
		}{
			{small, 20, 10, 5, 5},
			{dbtest.Open(t, dbtestDialect(small)), 500, 1000, 300, 300},
		}
		counts := make([][][]string, len(sizes))
		for i, size := range sizes {
			err := seed.Synthetic(sys(), size.store.Client, seed.SyntheticOptions{
				Municipalities: size.municipalities, Partnerships: size.partnerships,
				Projects: size.projects, Activities: size.activities, Seed: 1, Logger: quietLogger(),
			})
			if err != nil {
				t.Fatalf("seeding %d partnerships: %v", size.partnerships, err)
			}
			cs, c := counted(size.store)
			h := serve(t, cs)
			for _, sc := range statementCases {
				counts[i] = append(counts[i], countStatements(t, h, c, sc.signedIn, sc.query, sc.vars, nil))
			}
			var got mapAnswer
			countStatements(t, h, c, false, mapQuery, map[string]any{"first": 100}, &got)
			if got.Partnerships.TotalCount != size.partnerships || len(got.Partnerships.Edges) != min(100, size.partnerships) {
				t.Fatalf("%d partnerships: totalCount %d, %d edges", size.partnerships, got.Partnerships.TotalCount, len(got.Partnerships.Edges))
			}
			for _, e := range got.Partnerships.Edges {
				if n := e.Node; n.UkrainianMunicipality.Country.Code != "UA" || n.EuropeanMunicipality.Country.Code == "" || n.Phase.Name == "" {
					t.Fatalf("partnership %s: %+v", n.ID, n)
				}
			}
		}
		for j, sc := range statementCases {
			t.Run(sc.name, func(t *testing.T) {
				few, many := counts[0][j], counts[1][j]
				t.Logf("%d statements for 10 partnerships, %d for 1,000", len(few), len(many))
				switch {
				case len(few) == len(many) && sc.known != "":
					t.Logf("the known N+1 seems fixed, remove its note: %s", sc.known)
				case len(few) == len(many):
				case sc.known != "":
					t.Skipf("KNOWN N+1: %s: %d statements for 10 partnerships, %d for 1,000", sc.known, len(few), len(many))
				default:
					t.Errorf("%d statements for 10 partnerships but %d for 1,000\n10:\n%s\n1,000:\n%s",
						len(few), len(many), strings.Join(few, "\n"), strings.Join(many, "\n"))
				}
			})
		}
	})
}
