package apitest

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/export"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// exportURL is the export endpoint of h for file, with where if given.
func (h *hub) exportURL(file, where string) string {
	u := strings.TrimSuffix(h.endpoint, "/graphql") + "/export/" + file
	if where != "" {
		u += "?where=" + url.QueryEscape(where)
	}
	return u
}

// download GETs an export and returns its status, content type and body.
func (h *hub) download(t *testing.T, file, where string, header http.Header) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.exportURL(file, where), nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", file, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", file, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// exported downloads an export that must succeed and returns its rows as
// maps by column, whatever the format.
func (h *hub) exported(t *testing.T, file, where string, header http.Header) []map[string]any {
	t.Helper()
	status, ctype, body := h.download(t, file, where, header)
	if status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", file, status, body)
	}
	req, _ := export.ParseFile(file)
	if want := export.ContentType(req.Format); ctype != want {
		t.Fatalf("%s: content type %q, want %q", file, ctype, want)
	}
	switch req.Format {
	case "csv":
		return csvRows(t, body, export.Columns(req.Dataset))
	case "ndjson":
		return ndjsonRows(t, body)
	}
	return geoRows(t, req.Dataset, body)
}

func csvRows(t *testing.T, body []byte, columns []string) []map[string]any {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if !slices.Equal(records[0], columns) {
		t.Fatalf("CSV header %v, want %v", records[0], columns)
	}
	var rows []map[string]any
	for _, rec := range records[1:] {
		r := map[string]any{}
		for i, c := range columns {
			r[c] = rec[i]
		}
		rows = append(rows, r)
	}
	return rows
}

func ndjsonRows(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var rows []map[string]any
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("NDJSON line %q: %v", sc.Text(), err)
		}
		rows = append(rows, r)
	}
	return rows
}

// geoRows checks a GeoJSON FeatureCollection and returns its features'
// properties; municipalities must be points at their coordinates and
// partnerships lines with two positions.
func geoRows(t *testing.T, dataset string, body []byte) []map[string]any {
	t.Helper()
	var fc struct {
		Type     string
		Features []struct {
			Type     string
			ID       float64
			Geometry *struct {
				Type        string
				Coordinates json.RawMessage
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(body, &fc); err != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("GeoJSON: %v (type %q)", err, fc.Type)
	}
	var rows []map[string]any
	for _, f := range fc.Features {
		if f.Type != "Feature" || f.ID != f.Properties["id"] {
			t.Fatalf("feature %v: type %q, id %v", f.Properties, f.Type, f.ID)
		}
		if g := f.Geometry; g != nil {
			checkGeometry(t, dataset, g.Type, g.Coordinates, f.Properties)
		}
		rows = append(rows, f.Properties)
	}
	return rows
}

func checkGeometry(t *testing.T, dataset, kind string, coords json.RawMessage, props map[string]any) {
	t.Helper()
	switch dataset {
	case "municipalities":
		var p [2]float64
		if err := json.Unmarshal(coords, &p); err != nil || kind != "Point" ||
			p[0] != props["longitude"] || p[1] != props["latitude"] {
			t.Fatalf("municipality %v: geometry %s %s", props["name"], kind, coords)
		}
	case "partnerships":
		var line [][2]float64
		if err := json.Unmarshal(coords, &line); err != nil || kind != "LineString" || len(line) != 2 {
			t.Fatalf("partnership %v: geometry %s %s", props["id"], kind, coords)
		}
	}
}

// apiTotal returns the totalCount of a list through the API with where.
func (h *hub) apiTotal(t *testing.T, list, where string, header http.Header) int {
	t.Helper()
	var vars map[string]any
	if where != "" {
		var w any
		if err := json.Unmarshal([]byte(where), &w); err != nil {
			t.Fatal(err)
		}
		vars = map[string]any{"w": w}
	}
	typ := map[string]string{"partnerships": "Partnership", "municipalities": "Municipality", "projects": "Project", "activities": "Activity"}[list]
	q := `query($w: ` + typ + `WhereInput) { ` + list + `(where: $w) { totalCount } }`
	var got map[string]struct{ TotalCount int }
	h.dataAs(t, q, vars, header, &got)
	return got[list].TotalCount
}

// dataAs sends a query with header and decodes its data.
func (h *hub) dataAs(t *testing.T, query string, vars map[string]any, header http.Header, v any) {
	t.Helper()
	resp := gqltest.Post(t, h.endpoint, query, vars, header)
	resp.NoErrors(t)
	resp.Decode(t, v)
}

// TestExportsInEveryFormat: each list in each format parses and holds the
// rows the API counts for the same viewer and where input, on both stores.
func TestExportsInEveryFormat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		member := authtest.Header(t, store, user.RoleNONE)
		cases := []struct{ list, where string }{
			{"partnerships", ""},
			{"partnerships", `{"status": "ACTIVE", "hasPhaseWith": [{"name": "recovery"}]}`},
			{"municipalities", ""},
			{"municipalities", `{"hasCountryWith": [{"code": "UA"}]}`},
			{"projects", ""},
			{"activities", `{"kindIn": ["EXPERT_MISSION", "SOLIDARITY_FORUM"]}`},
		}
		for _, c := range cases {
			for _, who := range []struct {
				name   string
				header http.Header
			}{{"secretariat", h.admin}, {"member", member}} {
				want := h.apiTotal(t, c.list, c.where, who.header)
				if want == 0 {
					t.Fatalf("%s %s as %s: the demo holds no rows to export", c.list, c.where, who.name)
				}
				for _, format := range []string{"csv", "ndjson", "geojson"} {
					if got := len(h.exported(t, c.list+"."+format, c.where, who.header)); got != want {
						t.Errorf("%s.%s where %s as %s: %d rows, the API counts %d", c.list, format, c.where, who.name, got, want)
					}
				}
			}
		}
	})
}

// TestExportsFollowPrivacy: a member exports the projects the API shows
// them (no concepts of others), the secretariat every one; anonymous
// callers and keys without the bulk scope are refused.
func TestExportsFollowPrivacy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		member := authtest.Header(t, store, user.RoleNONE)
		all, seen := h.exported(t, "projects.ndjson", "", h.admin), h.exported(t, "projects.ndjson", "", member)
		if len(seen) != h.apiTotal(t, "projects", "", member) || len(seen) >= len(all) {
			t.Fatalf("member exports %d projects of %d (the API shows them %d)", len(seen), len(all), h.apiTotal(t, "projects", "", member))
		}
		for _, p := range seen {
			if p["status"] == "CONCEPT" {
				t.Fatalf("a member exported the concept %v", p["title"])
			}
		}
		if status, _, body := h.download(t, "partnerships.csv", "", nil); status != http.StatusUnauthorized || !strings.Contains(string(body), "UNAUTHENTICATED") {
			t.Fatalf("anonymous export: %d %s", status, body)
		}
		readKey, bulkKey := apiKey(t, h, "read"), apiKey(t, h, "read", "bulk")
		if status, _, body := h.download(t, "partnerships.csv", "", readKey); status != http.StatusForbidden {
			t.Fatalf("export with a read-only key: %d %s", status, body)
		}
		if got := len(h.exported(t, "partnerships.csv", "", bulkKey)); got != h.apiTotal(t, "partnerships", "", h.admin) {
			t.Fatalf("export with a bulk key: %d rows", got)
		}
	})
}

// apiKey creates a secretariat API key with scopes and returns its header.
func apiKey(t *testing.T, h *hub, scopes ...string) http.Header {
	t.Helper()
	var got struct{ CreateAPIKey struct{ Secret string } }
	h.dataAs(t, `mutation($s: [APIKeyScope!]!) { createAPIKey(input: {name: "export", scopes: $s}) { secret } }`,
		map[string]any{"s": scopes}, h.admin, &got)
	return http.Header{"Authorization": {"Bearer " + got.CreateAPIKey.Secret}}
}

// TestMapBoundingBox: within selects the municipalities inside a box in
// the API and in the export alike, across the antimeridian too, and a bad
// box is refused.
func TestMapBoundingBox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		box := `{"within": {"south": 44, "west": 22, "north": 53, "east": 41}}`
		inside, total := h.apiTotal(t, "municipalities", box, h.admin), h.apiTotal(t, "municipalities", "", h.admin)
		if inside == 0 || inside >= total {
			t.Fatalf("Ukraine's box holds %d of %d municipalities", inside, total)
		}
		rows := h.exported(t, "municipalities.geojson", box, h.admin)
		for _, r := range rows {
			lat, lon := r["latitude"].(float64), r["longitude"].(float64)
			if lat < 44 || lat > 53 || lon < 22 || lon > 41 {
				t.Fatalf("%v at %v,%v is outside the box", r["name"], lat, lon)
			}
		}
		if len(rows) != inside {
			t.Fatalf("export within the box: %d rows, the API counts %d", len(rows), inside)
		}
		if n := h.apiTotal(t, "municipalities", `{"within": {"south": -90, "west": 170, "north": 90, "east": -170}}`, h.admin); n != 0 {
			t.Fatalf("a box across the antimeridian in the Pacific holds %d municipalities", n)
		}
		resp := gqltest.Post(t, h.endpoint, `{ municipalities(where: {within: {south: 50, west: 0, north: 40, east: 10}}) { totalCount } }`, nil, h.admin)
		if resp.Code() != "BAD_USER_INPUT" {
			t.Fatalf("upside-down box: %s", resp.Body)
		}
	})
}

// TestExportRefusesBadRequests: unknown lists, formats and where inputs
// answer 400 with a message that names the problem.
func TestExportRefusesBadRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		for _, c := range []struct{ file, where, want string }{
			{"towns.csv", "", "unknown list"},
			{"partnerships.xlsx", "", "unknown format"},
			{"partnerships", "", "LIST.FORMAT"},
			{"partnerships.csv", `{"status": `, "not JSON"},
			{"partnerships.csv", `{"colour": "red"}`, "colour"},
			{"partnerships.csv", `{"status": "MAYBE"}`, "MAYBE"},
			{"partnerships.csv", `{"within": {"south": 1, "west": 1, "north": 2, "east": 2}}`, "municipalities only"},
			{"municipalities.csv", `{"within": {"south": 1}}`, "required"},
			{"municipalities.csv", `{"within": {"south": 10, "west": 1, "north": 2, "east": 2}}`, "north of north"},
		} {
			status, _, body := h.download(t, c.file, c.where, h.admin)
			if status != http.StatusBadRequest || !strings.Contains(string(body), c.want) || !strings.Contains(string(body), "BAD_USER_INPUT") {
				t.Errorf("%s where %s: %d %s (want 400 naming %q)", c.file, c.where, status, body, c.want)
			}
		}
	})
}

// TestExportRowsMatchTheAPI: each exported partnership and municipality
// holds the values the API gives for it (its towns, countries, phase,
// facilitators, themes, dates, region), on both stores.
func TestExportRowsMatchTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		member := authtest.Header(t, store, user.RoleNONE)
		facilitateByTwo(t, h)
		want := apiPartnershipRows(t, h, member)
		got := h.exported(t, "partnerships.ndjson", "", member)
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%d partnerships exported, the API lists %d", len(got), len(want))
		}
		for _, row := range got {
			checkRow(t, "partnership", row, want[exportedID(row)])
		}
		towns := apiMunicipalityRows(t, h, member)
		exported := h.exported(t, "municipalities.csv", "", member)
		if len(exported) != len(towns) {
			t.Fatalf("%d municipalities exported, the API lists %d", len(exported), len(towns))
		}
		for _, row := range exported {
			checkRow(t, "municipality", row, towns[exportedID(row)])
		}
	})
}

// facilitateByTwo gives the first partnership two more facilitators, so
// that a row lists several.
func facilitateByTwo(t *testing.T, h *hub) {
	t.Helper()
	var got struct {
		Partnerships struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Associations struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	h.dataAs(t, `{ partnerships(first: 1) { edges { node { id } } } associations(first: 2) { edges { node { id } } } }`, nil, h.admin, &got)
	ids := []string{got.Associations.Edges[0].Node.ID, got.Associations.Edges[1].Node.ID}
	h.dataAs(t, `mutation($id: ID!, $a: [ID!]) { updatePartnership(id: $id, input: {addFacilitatorIDs: $a}) { id } }`,
		map[string]any{"id": got.Partnerships.Edges[0].Node.ID, "a": ids}, h.admin, &struct{}{})
}

// exportedID is the id of an exported row as the API writes it.
func exportedID(row map[string]any) string {
	if f, ok := row["id"].(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(row["id"])
}

// checkRow compares the exported values of the columns in want.
func checkRow(t *testing.T, what string, row, want map[string]any) {
	t.Helper()
	if want == nil {
		t.Fatalf("%s %s is exported but not listed by the API", what, exportedID(row))
	}
	for col, w := range want {
		if fmt.Sprint(row[col]) != fmt.Sprint(w) {
			t.Errorf("%s %s: %s is %q, the API gives %q", what, exportedID(row), col, fmt.Sprint(row[col]), fmt.Sprint(w))
		}
	}
}

// apiPartnershipRows lists the partnerships through the API as export
// rows by id.
func apiPartnershipRows(t *testing.T, h *hub, header http.Header) map[string]map[string]any {
	t.Helper()
	type town struct {
		Name    string
		Country struct{ Code string }
	}
	var got struct {
		Partnerships struct {
			Edges []struct {
				Node struct {
					ID, Status                                  string
					StartDate                                   *string
					Themes                                      []string
					UkrainianMunicipality, EuropeanMunicipality town
					Phase                                       struct{ Name string }
					Facilitators                                struct {
						Edges []struct{ Node struct{ Acronym string } }
					}
				}
			}
		}
	}
	h.dataAs(t, `{ partnerships(first: 30) { edges { node { id status startDate themes phase { name }
		ukrainianMunicipality { name country { code } } europeanMunicipality { name country { code } }
		facilitators(first: 10) { edges { node { acronym } } } } } } }`, nil, header, &got)
	rows := map[string]map[string]any{}
	for _, e := range got.Partnerships.Edges {
		p := e.Node
		var facilitators []string
		for _, f := range p.Facilitators.Edges {
			facilitators = append(facilitators, f.Node.Acronym)
		}
		slices.Sort(facilitators)
		start := any(nil)
		if p.StartDate != nil {
			start = (*p.StartDate)[:10]
		}
		rows[p.ID] = map[string]any{"status": p.Status, "start_date": start, "phase": p.Phase.Name,
			"themes": strings.Join(p.Themes, "; "), "facilitators": strings.Join(facilitators, "; "),
			"ukrainian_municipality": p.UkrainianMunicipality.Name, "ukrainian_country": p.UkrainianMunicipality.Country.Code,
			"european_municipality": p.EuropeanMunicipality.Name, "european_country": p.EuropeanMunicipality.Country.Code}
	}
	return rows
}

// apiMunicipalityRows lists the municipalities through the API as CSV
// export rows by id.
func apiMunicipalityRows(t *testing.T, h *hub, header http.Header) map[string]map[string]any {
	t.Helper()
	var got struct {
		Municipalities struct {
			Edges []struct {
				Node struct {
					ID, Name, Kind string
					Population     *int
					Country        struct{ Code string }
					Region         *struct{ Name string }
				}
			}
		}
	}
	h.dataAs(t, `{ municipalities(first: 100) { edges { node { id name kind population country { code } region { name } } } } }`,
		nil, header, &got)
	rows := map[string]map[string]any{}
	for _, e := range got.Municipalities.Edges {
		m := e.Node
		region, population := "", ""
		if m.Region != nil {
			region = m.Region.Name
		}
		if m.Population != nil {
			population = fmt.Sprint(*m.Population)
		}
		rows[m.ID] = map[string]any{"name": m.Name, "kind": m.Kind, "country": m.Country.Code, "region": region, "population": population}
	}
	return rows
}
