package seed_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/ent/region"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/iso3166"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// expected holds the counts the demo seed must reach, derived from the
// data files.
type expected struct {
	countries, euMembers, regions, municipalities, associations, phases int
	partnerships, pilot, activities                                     int
}

func readData(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open("data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		rec := map[string]string{}
		for i, col := range rows[0] {
			rec[col] = row[i]
		}
		out = append(out, rec)
	}
	return out
}

func countLines(t *testing.T, name string) int {
	t.Helper()
	f, err := os.Open("data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if strings.TrimSpace(sc.Text()) != "" {
			n++
		}
	}
	return n
}

func expectedCounts(t *testing.T) expected {
	t.Helper()
	var e expected
	for _, code := range importer.KnownCountries() {
		e.countries++
		if iso3166.IsEUMember(code) {
			e.euMembers++
		}
	}
	e.regions = countLines(t, "oblasts.txt")
	munis, assocs, phases := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, rec := range readData(t, "associations.csv") {
		assocs[rec["acronym"]] = true
	}
	for _, rec := range readData(t, "phases.csv") {
		phases[rec["name"]] = true
	}
	for _, rec := range readData(t, "partnerships.csv") {
		e.partnerships++
		if rec["phase"] == "pilot" {
			e.pilot++
		}
		munis["UA/"+rec["ua_municipality"]] = true
		munis[rec["eu_country"]+"/"+rec["eu_municipality"]] = true
		phases[rec["phase"]] = true
		if rec["association"] != "" {
			assocs[rec["association"]] = true
		}
	}
	e.municipalities, e.associations, e.phases = len(munis), len(assocs), len(phases)
	e.activities = len(readData(t, "events.csv"))
	return e
}

func storeCounts(t *testing.T, c *ent.Client) expected {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	return expected{
		countries:      c.Country.Query().CountX(ctx),
		euMembers:      c.Country.Query().Where(country.EuMember(true)).CountX(ctx),
		regions:        c.Region.Query().CountX(ctx),
		municipalities: c.Municipality.Query().CountX(ctx),
		associations:   c.Association.Query().CountX(ctx),
		phases:         c.Phase.Query().CountX(ctx),
		partnerships:   c.Partnership.Query().CountX(ctx),
		pilot:          c.Partnership.Query().Where(partnership.HasPhaseWith(phase.Name("pilot"))).CountX(ctx),
		activities:     c.Activity.Query().CountX(ctx),
	}
}

func TestDemoLoadsTheDataFiles(t *testing.T) {
	want := expectedCounts(t)
	if want.euMembers != 27 || want.regions != 27 {
		t.Fatalf("reference data changed: %+v", want)
	}
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		if err := seed.Demo(authz.SystemContext(context.Background()), store.Client); err != nil {
			t.Fatalf("Demo: %v", err)
		}
		if got := storeCounts(t, store.Client); got != want {
			t.Fatalf("store counts %+v, want %+v", got, want)
		}
		checkChuhuivKuldiga(t, store.Client)
		checkRegionsAndEvents(t, store.Client)
	})
}

func checkChuhuivKuldiga(t *testing.T, c *ent.Client) {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	p, err := c.Partnership.Query().
		Where(partnership.HasUkrainianMunicipalityWith(municipality.Name("Chuhuiv")),
			partnership.HasEuropeanMunicipalityWith(municipality.Name("Kuldīga"))).
		WithUkrainianMunicipality(func(q *ent.MunicipalityQuery) { q.WithRegion() }).
		WithEuropeanMunicipality(func(q *ent.MunicipalityQuery) { q.WithCountry() }).
		WithPhase().WithFacilitators().WithActivities().Only(ctx)
	if err != nil {
		t.Fatalf("Chuhuiv–Kuldīga: %v", err)
	}
	ua, eu := p.Edges.UkrainianMunicipality, p.Edges.EuropeanMunicipality
	if ua.Edges.Region.Name != "Kharkiv" || ua.NameTranslations["uk"] != "Чугуїв" || ua.LocalName != "Чугуїв" || ua.Latitude == nil {
		t.Errorf("Chuhuiv: region %q, uk %q, local %q", ua.Edges.Region.Name, ua.NameTranslations["uk"], ua.LocalName)
	}
	if eu.Edges.Country.Code != "LV" || eu.Edges.Country.NameTranslations["uk"] != "Латвія" {
		t.Errorf("Kuldīga's country: %+v", eu.Edges.Country)
	}
	if p.Edges.Phase.Name != "pilot" || p.Edges.Phase.Title == "" || p.Edges.Phase.StartDate == nil {
		t.Errorf("phase: %+v", p.Edges.Phase)
	}
	if len(p.Edges.Facilitators) != 1 || p.Edges.Facilitators[0].Acronym != "LALRG" {
		t.Errorf("facilitators: %v", p.Edges.Facilitators)
	}
	if len(p.Edges.Activities) != 1 || p.Edges.Activities[0].Title != "Chuhuiv study visit to Kuldīga" {
		t.Errorf("activities: %v", p.Edges.Activities)
	}
	if ua.Population != nil {
		t.Errorf("Chuhuiv has an invented population %d", *ua.Population)
	}
}

func checkRegionsAndEvents(t *testing.T, c *ent.Client) {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	kinds := map[string]region.Kind{"Kharkiv": region.KindOBLAST, "Autonomous Republic of Crimea": region.KindAUTONOMOUS_REPUBLIC, "Kyiv City": region.KindSPECIAL_STATUS_CITY}
	for name, kind := range kinds {
		r := c.Region.Query().Where(region.Name(name)).OnlyX(ctx)
		if r.Kind != kind || r.NameTranslations["uk"] == "" {
			t.Errorf("region %s: kind %s, uk %q", name, r.Kind, r.NameTranslations["uk"])
		}
	}
	madrid := c.Activity.Query().Where(activity.Place("Madrid")).WithOrganiser().OnlyX(ctx)
	if madrid.StartDate != nil || !strings.Contains(madrid.DateNote, "autumn 2023") || madrid.Edges.Organiser.Acronym != "FEMP" {
		t.Errorf("undated forum: %+v", madrid)
	}
	wantOnline := 0
	for _, rec := range readData(t, "events.csv") {
		if rec["place"] == "online" {
			wantOnline++
		}
	}
	if online := c.Activity.Query().Where(activity.Online(true), activity.PlaceIsNil()).CountX(ctx); online != wantOnline {
		t.Errorf("%d online events, want %d", online, wantOnline)
	}
	auc := c.Association.Query().Where(association.Acronym("AUC")).WithCountry().OnlyX(ctx)
	if auc.Kind != association.KindLRGA || auc.Edges.Country == nil || auc.Edges.Country.Code != "UA" {
		t.Errorf("AUC: kind %s, country %+v", auc.Kind, auc.Edges.Country)
	}
}

func TestDemoIfEmptyIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		loaded, err := seed.DemoIfEmpty(ctx, store.Client)
		if err != nil || !loaded {
			t.Fatalf("first DemoIfEmpty: %v, %v", loaded, err)
		}
		before := storeCounts(t, store.Client)
		loaded, err = seed.DemoIfEmpty(ctx, store.Client)
		if err != nil || loaded {
			t.Fatalf("second DemoIfEmpty: %v, %v", loaded, err)
		}
		if err := seed.Demo(ctx, store.Client); err != nil {
			t.Fatalf("Demo on a seeded store: %v", err)
		}
		if after := storeCounts(t, store.Client); after != before {
			t.Fatalf("counts changed: %+v -> %+v", before, after)
		}
	})
}
