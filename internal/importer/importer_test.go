package importer_test

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/importer"
)

// realFile is the programme's partnerships spreadsheet, as the demo seed
// embeds it.
const realFile = "../seed/data/partnerships.csv"

// fileStats derives what importing a partnerships file must create from
// the file itself.
type fileStats struct {
	rows, countries, municipalities, phases, associations, oblasts int
}

func statsOf(t *testing.T, path string) fileStats {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	countries, munis, phases, assocs, oblasts := set{"UA": true}, set{}, set{}, set{}, set{}
	for _, rec := range recs[1:] {
		countries[rec[col["eu_country"]]] = true
		munis["UA/"+rec[col["ua_municipality"]]] = true
		munis[rec[col["eu_country"]]+"/"+rec[col["eu_municipality"]]] = true
		phases[rec[col["phase"]]] = true
		oblasts[rec[col["ua_oblast"]]] = true
		if a := rec[col["association"]]; a != "" {
			assocs[a] = true
		}
	}
	return fileStats{len(recs) - 1, len(countries), len(munis), len(phases), len(assocs), len(oblasts)}
}

type set map[string]bool

func importFile(t *testing.T, client *ent.Client, path string, opts importer.Options) (importer.Report, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return importer.Partnerships(authz.SystemContext(context.Background()), client, f, opts)
}

func importString(client *ent.Client, csv string, opts importer.Options) (importer.Report, error) {
	return importer.Partnerships(authz.SystemContext(context.Background()), client, strings.NewReader(csv), opts)
}

// storeCounts counts the rows of every table an import writes.
func storeCounts(t *testing.T, client *ent.Client) [6]int {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	return [6]int{
		client.Country.Query().CountX(ctx), client.Region.Query().CountX(ctx),
		client.Municipality.Query().CountX(ctx), client.Phase.Query().CountX(ctx),
		client.Association.Query().CountX(ctx), client.Partnership.Query().CountX(ctx),
	}
}

func TestImportRealFileTwice(t *testing.T) {
	want := statsOf(t, realFile)
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		rep, err := importFile(t, store.Client, realFile, importer.Options{CreateMissing: true})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		wantCreated := importer.Tally{
			Countries:      importer.Counts{Created: want.countries},
			Regions:        importer.Counts{Created: want.oblasts},
			Municipalities: importer.Counts{Created: want.municipalities},
			Phases:         importer.Counts{Created: want.phases},
			Associations:   importer.Counts{Created: want.associations},
			Partnerships:   importer.Counts{Created: want.rows},
		}
		if rep.Tally != wantCreated || rep.Rows != want.rows || len(rep.BadRows) != 0 {
			t.Fatalf("first import: got %+v, want %+v", rep, wantCreated)
		}
		before := storeCounts(t, store.Client)
		rep, err = importFile(t, store.Client, realFile, importer.Options{})
		if err != nil {
			t.Fatalf("re-import: %v", err)
		}
		wantUnchanged := importer.Tally{
			Countries:      importer.Counts{Unchanged: want.countries},
			Regions:        importer.Counts{Unchanged: want.oblasts},
			Municipalities: importer.Counts{Unchanged: want.municipalities},
			Phases:         importer.Counts{Unchanged: want.phases},
			Associations:   importer.Counts{Unchanged: want.associations},
			Partnerships:   importer.Counts{Unchanged: want.rows},
		}
		if rep.Tally != wantUnchanged {
			t.Fatalf("re-import: got %+v, want %+v", rep.Tally, wantUnchanged)
		}
		if after := storeCounts(t, store.Client); after != before {
			t.Fatalf("re-import changed the store: %v -> %v", before, after)
		}
		checkChuhuiv(t, store.Client)
	})
}

func checkChuhuiv(t *testing.T, client *ent.Client) {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	p, err := client.Partnership.Query().
		Where(partnership.HasUkrainianMunicipalityWith(municipality.Name("Chuhuiv")),
			partnership.HasEuropeanMunicipalityWith(municipality.Name("Kuldīga"))).
		WithUkrainianMunicipality(func(q *ent.MunicipalityQuery) { q.WithRegion().WithCountry() }).
		WithEuropeanMunicipality(func(q *ent.MunicipalityQuery) { q.WithCountry() }).
		WithPhase().WithFacilitators().Only(ctx)
	if err != nil {
		t.Fatalf("Chuhuiv–Kuldīga: %v", err)
	}
	ua, eu := p.Edges.UkrainianMunicipality, p.Edges.EuropeanMunicipality
	if ua.Edges.Region.Name != "Kharkiv" || ua.Edges.Country.Code != "UA" || ua.Kind != municipality.KindHROMADA {
		t.Errorf("Chuhuiv: region %q, country %q, kind %s", ua.Edges.Region.Name, ua.Edges.Country.Code, ua.Kind)
	}
	if eu.Edges.Country.Code != "LV" || !eu.Edges.Country.EuMember || eu.Edges.Country.Name != "Latvia" {
		t.Errorf("Kuldīga's country: %+v", eu.Edges.Country)
	}
	if p.Edges.Phase.Name != "pilot" || len(p.Edges.Facilitators) != 1 || p.Edges.Facilitators[0].Acronym != "LALRG" {
		t.Errorf("phase %q, facilitators %v", p.Edges.Phase.Name, p.Edges.Facilitators)
	}
	if !slices.Equal(p.Themes, []string{"culture", "sustainable development"}) {
		t.Errorf("themes %q", p.Themes)
	}
}

const header = "phase,ua_municipality,ua_oblast,eu_municipality,eu_country,association,themes,source\n"

// badFile has two good rows (lines 2 and 9) and a bad row for every
// reason a row can be refused.
const badFile = header +
	"pilot,Chuhuiv,Kharkiv,Kuldīga,LV,LALRG,culture,https://example.org/a\n" + // 2 good
	"pilot,Fastiv,Kyiv,Oslo,NO,,,\n" + // 3 not EU
	"pilot,Fastiv,Kyiv,Nowhere,XX,,,\n" + // 4 unknown code
	"pilot,,Kyiv,Druskininkai,LT,,,\n" + // 5 blank UA municipality
	"Phase 2,Zboriv,Ternopil,Joniškis,LT,,,\n" + // 6 phase format
	"pilot,Chuhuiv,Kharkiv,Kuldīga,LV,,,\n" + // 7 duplicate of line 2
	"pilot,Korosten,Zhytomyr,Ukmergė,LT\n" + // 8 column count
	"recovery,Malyn,Zhytomyr,Teruel,ES,FEMP,housing,\n" + // 9 good
	"recovery,Lebedyn,Atlantis,Pápa,HU,,,not a url\n" + // 10 oblast and source
	"recovery,Chuhuiv,Kyiv,Pápa,HU,,,\n" // 11 Chuhuiv in two oblasts

var badLines = []int{3, 4, 5, 6, 7, 8, 10, 11}

func TestImportBadFileImportsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		rep, err := importString(store.Client, badFile, importer.Options{CreateMissing: true})
		var invalid *importer.InvalidRowsError
		if !errors.As(err, &invalid) {
			t.Fatalf("got error %v, want InvalidRowsError", err)
		}
		if got := lines(invalid.Rows); !slices.Equal(got, badLines) {
			t.Fatalf("bad lines %v, want %v\n%v", got, badLines, err)
		}
		for _, line := range badLines {
			if !strings.Contains(err.Error(), "line "+strconv.Itoa(line)+": ") {
				t.Errorf("error does not list line %d:\n%v", line, err)
			}
		}
		for _, want := range []string{`"NO" is not a member state of the EU`, `"XX" is not an ISO 3166-1`,
			"ua_municipality is blank", `phase "Phase 2"`, "repeats the pair", "has 5 field(s), the header has 8",
			`"Atlantis" is not an oblast`, "source:", `another oblast than line 2`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q:\n%v", want, err)
			}
		}
		if len(rep.BadRows) != len(badLines) {
			t.Errorf("report has %d bad rows", len(rep.BadRows))
		}
		if got := storeCounts(t, store.Client); got != [6]int{} {
			t.Errorf("store not empty after a refused import: %v", got)
		}
	})
}

func TestImportSkipInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		rep, err := importString(store.Client, badFile, importer.Options{SkipInvalid: true, CreateMissing: true})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if rep.Skipped != len(badLines) || rep.Partnerships.Created != 2 || rep.Rows != 10 {
			t.Fatalf("report %+v", rep)
		}
		if got := lines(rep.BadRows); !slices.Equal(got, badLines) {
			t.Errorf("bad lines %v, want %v", got, badLines)
		}
		if n := store.Client.Partnership.Query().CountX(authz.SystemContext(context.Background())); n != 2 {
			t.Errorf("%d partnerships stored, want 2", n)
		}
	})
}

func TestImportUpdatesChangedRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		first := header + "pilot,Chuhuiv,Kharkiv,Kuldīga,LV,LALRG,culture,\n" +
			"pilot,Fastiv,Kyiv,Druskininkai,LT,,youth,\n"
		if _, err := importString(store.Client, first, importer.Options{CreateMissing: true}); err != nil {
			t.Fatal(err)
		}
		second := header + "pilot,Chuhuiv,Kharkiv,Kuldīga,LV,LALRG;AUC,culture; sustainable development,https://example.org/x\n" +
			"pilot,Fastiv,Kyiv,Druskininkai,LT,,youth,\n"
		_, err := importString(store.Client, second, importer.Options{CreateMissing: true})
		var conflicts *importer.ConflictsError
		if !errors.As(err, &conflicts) || len(conflicts.Conflicts) != 1 || conflicts.Conflicts[0].Line != 2 {
			t.Fatalf("without Update: got %v, want one conflict on line 2", err)
		}
		rep, err := importString(store.Client, second, importer.Options{CreateMissing: true, Update: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Partnerships != (importer.Counts{Updated: 1, Unchanged: 1}) || rep.Associations.Created != 1 {
			t.Fatalf("report %+v", rep.Tally)
		}
		p := store.Client.Partnership.Query().Where(partnership.Source("https://example.org/x")).
			WithFacilitators().OnlyX(authz.SystemContext(context.Background()))
		if len(p.Themes) != 2 || len(p.Edges.Facilitators) != 2 {
			t.Errorf("updated partnership: themes %q, facilitators %d", p.Themes, len(p.Edges.Facilitators))
		}
	})
}

func TestImportRefusesOblastContradictingStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		if _, err := importString(store.Client, header+"pilot,Chuhuiv,Kharkiv,Kuldīga,LV,,,\n", importer.Options{CreateMissing: true}); err != nil {
			t.Fatal(err)
		}
		_, err := importString(store.Client, header+"pilot,Chuhuiv,Sumy,Pápa,HU,,,\n", importer.Options{CreateMissing: true})
		if err == nil || !strings.Contains(err.Error(), `line 2: ua_municipality "Chuhuiv" is stored in Kharkiv oblast, not in Sumy`) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestImportHeaderErrors(t *testing.T) {
	client := dbtest.Open(t, "sqlite").Client
	for in, want := range map[string]string{
		"":                               "the file is empty",
		"phase,ua_municipality,themes\n": "lacks required column(s) ua_oblast, eu_municipality, eu_country",
		"phase,phase\n":                  "names column \"phase\" twice",
	} {
		if _, err := importString(client, in, importer.Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("header %q: got %v, want %q", in, err, want)
		}
	}
}

func TestImportAcceptsByteOrderMarkAndLooseSpelling(t *testing.T) {
	client := dbtest.Open(t, "sqlite").Client
	in := "\ufeffPhase, UA_Municipality ,ua_oblast,eu_municipality,eu_country\n" +
		"Pilot,  Chuhuiv ,kharkiv oblast,Kuldīga,lv\n"
	rep, err := importString(client, in, importer.Options{CreateMissing: true})
	if err != nil || rep.Partnerships.Created != 1 {
		t.Fatalf("got %+v, %v", rep, err)
	}
	checkChuhuivRegion(t, client)
}

func checkChuhuivRegion(t *testing.T, client *ent.Client) {
	t.Helper()
	m := client.Municipality.Query().Where(municipality.Name("Chuhuiv")).WithRegion().OnlyX(authz.SystemContext(context.Background()))
	if m.Edges.Region == nil || m.Edges.Region.Name != "Kharkiv" {
		t.Errorf("Chuhuiv's region: %+v", m.Edges.Region)
	}
}

func lines(rows []importer.BadRow) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = r.Line
	}
	return out
}

func TestImportReportsMalformedCSVLines(t *testing.T) {
	client := dbtest.Open(t, "sqlite").Client
	in := "phase,ua_municipality,ua_oblast,eu_municipality,eu_country\n" +
		"pilot,Ch\"uhuiv,Kharkiv,Kuldīga,LV\n" +
		"pilot,Fastiv,Kyiv,Druskininkai,LT\n"
	rep, err := importString(client, in, importer.Options{SkipInvalid: true, CreateMissing: true})
	if err != nil || rep.Partnerships.Created != 1 || len(rep.BadRows) != 1 || rep.BadRows[0].Line != 2 {
		t.Fatalf("got %+v, %v", rep, err)
	}
	if !strings.Contains(rep.BadRows[0].String(), "line 2: malformed CSV") {
		t.Errorf("bad row %s", rep.BadRows[0])
	}
}
