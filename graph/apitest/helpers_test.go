package apitest

import (
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// dataDir is the demo seed's data, which the expectations of the query
// tests are derived from.
var dataDir = filepath.Join("..", "..", "internal", "seed", "data")

// hub is the Hub's real HTTP server over a store, for one test.
type hub struct {
	endpoint string
	store    *db.Store
	// admin is the Authorization header of a secretariat session, who may
	// change anything.
	admin http.Header
}

// serve starts the Hub's server with the default configuration over store
// and signs a secretariat account in.
func serve(t testing.TB, store *db.Store) *hub {
	t.Helper()
	return serveWith(t, store, nil)
}

// serveWith is serve with the default configuration changed by configure
// (when not nil).
func serveWith(t testing.TB, store *db.Store, configure func(*server.Config)) *hub {
	t.Helper()
	cfg := server.DefaultConfig()
	if configure != nil {
		configure(&cfg)
	}
	srv := httptest.NewServer(server.New(cfg, store, quietLogger()).Handler())
	t.Cleanup(srv.Close)
	return &hub{endpoint: srv.URL + "/graphql", store: store, admin: authtest.Secretariat(t, store)}
}

// quietLogger discards what it is given: the tests check answers, not logs.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// demoHub seeds the demo data set into store and serves it.
func demoHub(t testing.TB, store *db.Store) *hub {
	t.Helper()
	if err := seed.Demo(sys(), store.Client); err != nil {
		t.Fatalf("seeding the demo data: %v", err)
	}
	return serve(t, store)
}

// sys returns a context in which every privacy policy allows, for checking
// the store behind the API's back.
func sys() context.Context { return authz.SystemContext(context.Background()) }

// query sends query anonymously.
func (h *hub) query(t testing.TB, query string, vars map[string]any) *gqltest.Response {
	t.Helper()
	return gqltest.Post(t, h.endpoint, query, vars, nil)
}

// mutate sends query as the secretariat.
func (h *hub) mutate(t testing.TB, query string, vars map[string]any) *gqltest.Response {
	t.Helper()
	return gqltest.Post(t, h.endpoint, query, vars, h.admin)
}

// data sends query anonymously, fails the test on any error and decodes
// the data into v.
func (h *hub) data(t testing.TB, query string, vars map[string]any, v any) {
	t.Helper()
	resp := h.query(t, query, vars)
	resp.NoErrors(t)
	resp.Decode(t, v)
}

// pageInfo is a connection's PageInfo.
type pageInfo struct {
	HasNextPage, HasPreviousPage bool
	StartCursor, EndCursor       *string
}

// csvRecords reads a CSV file of the demo data, each row keyed by the
// header's column names.
func csvRecords(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	out := make([]map[string]string, 0, len(rows)-1)
	for _, row := range rows[1:] {
		rec := map[string]string{}
		for i, col := range rows[0] {
			rec[col] = row[i]
		}
		out = append(out, rec)
	}
	return out
}

// pairRow is a row of partnerships.csv.
type pairRow struct {
	Phase, UA, Oblast, EU, EUCountry, Association string
}

// demoPartnerships reads partnerships.csv.
func demoPartnerships(t testing.TB) []pairRow {
	t.Helper()
	var out []pairRow
	for _, rec := range csvRecords(t, "partnerships.csv") {
		out = append(out, pairRow{Phase: rec["phase"], UA: rec["ua_municipality"], Oblast: rec["ua_oblast"],
			EU: rec["eu_municipality"], EUCountry: rec["eu_country"], Association: rec["association"]})
	}
	if len(out) == 0 {
		t.Fatal("partnerships.csv has no rows")
	}
	return out
}

// place is a municipality by its natural key.
type place struct{ Country, Name string }

// String returns "Name (CC)".
func (p place) String() string { return p.Name + " (" + p.Country + ")" }

// demoPlaces returns the municipalities of partnerships.csv, each with the
// partnerships.csv rows it appears in.
func demoPlaces(t testing.TB) map[place][]pairRow {
	t.Helper()
	out := map[place][]pairRow{}
	for _, r := range demoPartnerships(t) {
		ua, eu := place{"UA", r.UA}, place{r.EUCountry, r.EU}
		out[ua] = append(out[ua], r)
		out[eu] = append(out[eu], r)
	}
	return out
}

// pairKey names a partnership by its two municipalities.
func pairKey(ua, eu place) string { return ua.String() + " – " + eu.String() }

// countRows counts rows of a demo CSV file matching keep.
func countRows(t testing.TB, name string, keep func(map[string]string) bool) int {
	t.Helper()
	n := 0
	for _, rec := range csvRecords(t, name) {
		if keep(rec) {
			n++
		}
	}
	return n
}

// lines returns the non-blank lines of a demo text file.
func lines(t testing.TB, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for l := range strings.Lines(string(b)) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// pilot is a small programme: Ukraine, Poland and a pilot phase.
type pilot struct {
	c      *ent.Client
	ua, pl *ent.Country
	phase  *ent.Phase
}

// newPilot creates the countries and the phase of a pilot programme.
func newPilot(c *ent.Client) pilot {
	return pilot{
		c:     c,
		ua:    c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys()),
		pl:    c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys()),
		phase: c.Phase.Create().SetName("pilot").SaveX(sys()),
	}
}

// town creates a municipality of country.
func (p pilot) town(name string, country *ent.Country) *ent.Municipality {
	return p.c.Municipality.Create().SetName(name).SetCountry(country).SaveX(sys())
}

// partnership starts a partnership of the pilot phase between ua and a new
// Polish town named partner.
func (p pilot) partnership(ua *ent.Municipality, partner string) *ent.PartnershipCreate {
	return p.c.Partnership.Create().SetPhase(p.phase).SetUkrainianMunicipality(ua).SetEuropeanMunicipality(p.town(partner, p.pl))
}
