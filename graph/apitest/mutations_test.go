package apitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/validation"
)

// fixture holds the ids of demo rows that the mutation tests refer to.
type fixture struct {
	ukraine, latvia, kharkiv              string
	chuhuiv, kuldiga, kakhovka, fastiv    string
	druskininkai                          string
	pilot, recovery, lalrg                string
	chuhuivKuldiga, fastivDruskininkai    string
	visit, project                        string
	unknownCountry, unknownRegion         string
	unknownMunicipality, unknownPhase     string
	unknownAssociation, unknownPartnering string
	unknownProject, unknownActivity       string
}

// loadFixture finds the demo rows, creates a project on Chuhuiv – Kuldīga
// and gives that partnership a start date, as the secretariat.
func loadFixture(t *testing.T, h *hub) fixture {
	t.Helper()
	type conn struct {
		Edges []struct{ Node struct{ ID string } }
	}
	var got map[string]conn
	h.data(t, `{
		ukraine: countries(where: {code: "UA"}) { edges { node { id } } }
		latvia: countries(where: {code: "LV"}) { edges { node { id } } }
		kharkiv: regions(where: {name: "Kharkiv"}) { edges { node { id } } }
		chuhuiv: municipalities(where: {name: "Chuhuiv"}) { edges { node { id } } }
		kuldiga: municipalities(where: {name: "Kuldīga"}) { edges { node { id } } }
		kakhovka: municipalities(where: {name: "Kakhovka"}) { edges { node { id } } }
		fastiv: municipalities(where: {name: "Fastiv"}) { edges { node { id } } }
		druskininkai: municipalities(where: {name: "Druskininkai"}) { edges { node { id } } }
		pilot: phases(where: {name: "pilot"}) { edges { node { id } } }
		recovery: phases(where: {name: "recovery"}) { edges { node { id } } }
		lalrg: associations(where: {acronym: "LALRG"}) { edges { node { id } } }
		chuhuivKuldiga: partnerships(where: {hasUkrainianMunicipalityWith: [{name: "Chuhuiv"}], hasEuropeanMunicipalityWith: [{name: "Kuldīga"}]}) { edges { node { id } } }
		fastivDruskininkai: partnerships(where: {hasUkrainianMunicipalityWith: [{name: "Fastiv"}], hasEuropeanMunicipalityWith: [{name: "Druskininkai"}]}) { edges { node { id } } }
		visit: activities(where: {title: "Chuhuiv study visit to Kuldīga"}) { edges { node { id } } }
	}`, nil, &got)
	id := func(name string) string {
		c := got[name]
		if len(c.Edges) != 1 {
			t.Fatalf("fixture %s: %d matches in the demo data, want 1", name, len(c.Edges))
		}
		return c.Edges[0].Node.ID
	}
	fx := fixture{
		ukraine: id("ukraine"), latvia: id("latvia"), kharkiv: id("kharkiv"),
		chuhuiv: id("chuhuiv"), kuldiga: id("kuldiga"), kakhovka: id("kakhovka"), fastiv: id("fastiv"),
		druskininkai: id("druskininkai"), pilot: id("pilot"), recovery: id("recovery"), lalrg: id("lalrg"),
		chuhuivKuldiga: id("chuhuivKuldiga"), fastivDruskininkai: id("fastivDruskininkai"), visit: id("visit"),
	}
	var created struct {
		CreateProject     struct{ ID string }
		UpdatePartnership struct{ StartDate string }
	}
	resp := h.mutate(t, `mutation($p: ID!) {
		createProject(input: {title: "Water treatment plant", sector: WATER, partnershipID: $p}) { id }
		updatePartnership(id: $p, input: {startDate: "2022-03-01T00:00:00Z"}) { startDate } }`,
		map[string]any{"p": fx.chuhuivKuldiga})
	resp.NoErrors(t)
	resp.Decode(t, &created)
	fx.project = created.CreateProject.ID
	fx.unknownCountry, fx.unknownRegion = unknownLike(t, fx.latvia), unknownLike(t, fx.kharkiv)
	fx.unknownMunicipality, fx.unknownPhase = unknownLike(t, fx.chuhuiv), unknownLike(t, fx.pilot)
	fx.unknownAssociation, fx.unknownPartnering = unknownLike(t, fx.lalrg), unknownLike(t, fx.chuhuivKuldiga)
	fx.unknownProject, fx.unknownActivity = unknownLike(t, fx.project), unknownLike(t, fx.visit)
	return fx
}

// unknownLike returns an id of the same type as id that no row has: the
// last id of the type's range (Ent gives each type a range of 2^32 ids).
func unknownLike(t *testing.T, id string) string {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	const span = 1 << 32
	return strconv.FormatInt(n/span*span+span-1, 10)
}

// snapshot is what the store holds: every row of the community graph with
// its many-to-many edges, and the size of the audit log.
type snapshot struct {
	rows   string
	audits int
}

// take reads the store behind the API's back.
func take(t *testing.T, c *ent.Client) snapshot {
	t.Helper()
	ctx := sys()
	parts := []any{
		c.Country.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Region.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Municipality.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Association.Query().Order(ent.Asc("id")).WithMembers().WithFundedProjects().AllX(ctx),
		c.Phase.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Partnership.Query().Order(ent.Asc("id")).WithFacilitators().WithActivities().AllX(ctx),
		c.Project.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Activity.Query().Order(ent.Asc("id")).AllX(ctx),
	}
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{rows: string(b), audits: c.AuditLog.Query().CountX(ctx)}
}

// refusal is a mutation the API must refuse.
type refusal struct {
	name  string
	query string
	vars  map[string]any
	// code is the expected extensions.code, BAD_USER_INPUT when empty.
	code string
	// field is the expected extensions.field.
	field string
	// message, when set, must occur in the error message.
	message string
	// noField, when set, describes a known gap, reported: the API answers
	// with the right code but without extensions.field. The case is then
	// skipped (after checking that nothing was written) until the gap is
	// closed.
	noField string
	// bug, when set, describes a known bug, reported: any wrong answer
	// skips the case after checking that nothing was written.
	bug string
	// anonymous sends the mutation without signing in.
	anonymous bool
}

// refusals lists the invalid mutations of every entity type of the
// community graph.
func refusals(fx fixture) []refusal {
	uniqueGap := "unique violations carry no field (apierr.constraintError has none to give)"
	fkGap := "unknown referenced ids carry no field (foreign key violation, not checked by a hook)"
	notFound := func(name, query, id string) refusal {
		return refusal{name: name, query: query, vars: map[string]any{"id": id}, code: "NOT_FOUND"}
	}
	v := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	return []refusal{
		// Country.
		{name: "country: code ZZ", query: `mutation { createCountry(input: {name: "Zed", code: "ZZ"}) { id } }`, field: "code"},
		{name: "country: lower-case code", query: `mutation { createCountry(input: {name: "Norway", code: "no"}) { id } }`, field: "code"},
		{name: "country: blank name", query: `mutation { createCountry(input: {name: "  ", code: "NO"}) { id } }`, field: "name"},
		{name: "country: translation key english", query: `mutation { createCountry(input: {name: "Norway", code: "NO", nameTranslations: {english: "x"}}) { id } }`, field: "nameTranslations"},
		{name: "country: empty translation (variables)", query: `mutation($in: CreateCountryInput!) { createCountry(input: $in) { id } }`,
			vars: v("in", map[string]any{"name": "Norway", "code": "NO", "nameTranslations": map[string]any{"uk": ""}}), field: "nameTranslations"},
		{name: "country: duplicate code", query: `mutation { createCountry(input: {name: "Ukraine again", code: "UA"}) { id } }`, field: "code", noField: uniqueGap},
		{name: "country: update code ZZ", query: `mutation($id: ID!) { updateCountry(id: $id, input: {code: "ZZ"}) { id } }`, vars: v("id", fx.latvia), field: "code"},
		{name: "country: update blank name", query: `mutation($id: ID!) { updateCountry(id: $id, input: {name: ""}) { id } }`, vars: v("id", fx.latvia), field: "name"},
		{name: "country: update clears the municipalities", query: `mutation($id: ID!) { updateCountry(id: $id, input: {clearMunicipalities: true}) { id } }`,
			vars: v("id", fx.latvia), field: "clearMunicipalities",
			bug: "UpdateCountryInput exposes clear/remove of the municipalities (and regions), whose country is required: INTERNAL_SERVER_ERROR (NOT NULL violation)"},
		{name: "country: update removes a municipality", query: `mutation($id: ID!, $m: ID!) { updateCountry(id: $id, input: {removeMunicipalityIDs: [$m]}) { id } }`,
			vars: v("id", fx.latvia, "m", fx.kuldiga), field: "removeMunicipalityIDs",
			bug: "UpdateCountryInput exposes clear/remove of the municipalities (and regions), whose country is required: INTERNAL_SERVER_ERROR (NOT NULL violation)"},
		notFound("country: update unknown", `mutation($id: ID!) { updateCountry(id: $id, input: {name: "X"}) { id } }`, fx.unknownCountry),
		notFound("country: delete unknown", `mutation($id: ID!) { deleteCountry(id: $id) }`, fx.unknownCountry),
		{name: "country: delete with municipalities", query: `mutation($id: ID!) { deleteCountry(id: $id) }`, vars: v("id", fx.latvia), message: "still referenced"},
		{name: "country: malformed id", query: `mutation { deleteCountry(id: "LV") }`, field: "id"},

		// Region.
		{name: "region: blank name", query: `mutation($c: ID!) { createRegion(input: {name: " ", countryID: $c}) { id } }`, vars: v("c", fx.latvia), field: "name"},
		{name: "region: translation key english", query: `mutation($c: ID!) { createRegion(input: {name: "Kurzeme", countryID: $c, nameTranslations: {english: "x"}}) { id } }`,
			vars: v("c", fx.latvia), field: "nameTranslations"},
		{name: "region: unknown country", query: `mutation($c: ID!) { createRegion(input: {name: "Kurzeme", countryID: $c}) { id } }`,
			vars: v("c", fx.unknownCountry), field: "countryID", noField: fkGap},
		{name: "region: duplicate name in the country", query: `mutation($c: ID!) { createRegion(input: {name: "Kharkiv", countryID: $c}) { id } }`,
			vars: v("c", fx.ukraine), field: "name", noField: uniqueGap},
		{name: "region: update blank name", query: `mutation($id: ID!) { updateRegion(id: $id, input: {name: ""}) { id } }`, vars: v("id", fx.kharkiv), field: "name"},
		notFound("region: update unknown", `mutation($id: ID!) { updateRegion(id: $id, input: {name: "X"}) { id } }`, fx.unknownRegion),
		notFound("region: delete unknown", `mutation($id: ID!) { deleteRegion(id: $id) }`, fx.unknownRegion),

		// Municipality.
		{name: "municipality: population -1", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, population: -1}) { id } }`,
			vars: v("c", fx.latvia), field: "population"},
		{name: "municipality: latitude 91", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, latitude: 91}) { id } }`,
			vars: v("c", fx.latvia), field: "latitude"},
		{name: "municipality: latitude -90.5", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, latitude: -90.5}) { id } }`,
			vars: v("c", fx.latvia), field: "latitude"},
		{name: "municipality: longitude 181", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, longitude: 181}) { id } }`,
			vars: v("c", fx.latvia), field: "longitude"},
		{name: "municipality: website ftp", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, website: "ftp://x"}) { id } }`,
			vars: v("c", fx.latvia), field: "website"},
		{name: "municipality: blank name", query: `mutation($c: ID!) { createMunicipality(input: {name: "", countryID: $c}) { id } }`,
			vars: v("c", fx.latvia), field: "name"},
		{name: "municipality: empty profile text", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, profile: {uk: " "}}) { id } }`,
			vars: v("c", fx.latvia), field: "profile"},
		{name: "municipality: translation key english", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, nameTranslations: {english: "x"}}) { id } }`,
			vars: v("c", fx.latvia), field: "nameTranslations"},
		{name: "municipality: unknown country", query: `mutation($c: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c}) { id } }`,
			vars: v("c", fx.unknownCountry), field: "countryID", noField: fkGap},
		{name: "municipality: unknown region", query: `mutation($c: ID!, $r: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, regionID: $r}) { id } }`,
			vars: v("c", fx.latvia, "r", fx.unknownRegion), field: "regionID", noField: fkGap},
		{name: "municipality: update latitude 91", query: `mutation($id: ID!) { updateMunicipality(id: $id, input: {latitude: 91}) { id } }`, vars: v("id", fx.chuhuiv), field: "latitude"},
		{name: "municipality: update longitude -181", query: `mutation($id: ID!) { updateMunicipality(id: $id, input: {longitude: -181}) { id } }`, vars: v("id", fx.chuhuiv), field: "longitude"},
		{name: "municipality: update population -1", query: `mutation($id: ID!) { updateMunicipality(id: $id, input: {population: -1}) { id } }`, vars: v("id", fx.chuhuiv), field: "population"},
		{name: "municipality: update website ftp", query: `mutation($id: ID!) { updateMunicipality(id: $id, input: {website: "ftp://x"}) { id } }`, vars: v("id", fx.chuhuiv), field: "website"},
		notFound("municipality: update unknown", `mutation($id: ID!) { updateMunicipality(id: $id, input: {name: "X"}) { id } }`, fx.unknownMunicipality),
		notFound("municipality: delete unknown", `mutation($id: ID!) { deleteMunicipality(id: $id) }`, fx.unknownMunicipality),
		{name: "municipality: delete with partnerships", query: `mutation($id: ID!) { deleteMunicipality(id: $id) }`, vars: v("id", fx.chuhuiv), message: "still referenced"},

		// Association.
		{name: "association: blank name", query: `mutation { createAssociation(input: {name: " ", acronym: "TST"}) { id } }`, field: "name"},
		{name: "association: blank acronym", query: `mutation { createAssociation(input: {name: "Test", acronym: ""}) { id } }`, field: "acronym"},
		{name: "association: website ftp", query: `mutation { createAssociation(input: {name: "Test", acronym: "TST", website: "ftp://x"}) { id } }`, field: "website"},
		{name: "association: translation key english", query: `mutation { createAssociation(input: {name: "Test", acronym: "TST", nameTranslations: {english: "x"}}) { id } }`, field: "nameTranslations"},
		{name: "association: duplicate acronym", query: `mutation { createAssociation(input: {name: "Test", acronym: "LALRG"}) { id } }`, field: "acronym", noField: uniqueGap},
		{name: "association: unknown country", query: `mutation($c: ID!) { createAssociation(input: {name: "Test", acronym: "TST", countryID: $c}) { id } }`,
			vars: v("c", fx.unknownCountry), field: "countryID", noField: fkGap},
		{name: "association: update website ftp", query: `mutation($id: ID!) { updateAssociation(id: $id, input: {website: "ftp://x"}) { id } }`, vars: v("id", fx.lalrg), field: "website"},
		notFound("association: update unknown", `mutation($id: ID!) { updateAssociation(id: $id, input: {name: "X"}) { id } }`, fx.unknownAssociation),
		notFound("association: delete unknown", `mutation($id: ID!) { deleteAssociation(id: $id) }`, fx.unknownAssociation),

		// Phase.
		{name: "phase: blank name", query: `mutation { createPhase(input: {name: " "}) { id } }`, field: "name"},
		{name: "phase: end before start", query: `mutation { createPhase(input: {name: "hub", startDate: "2024-01-01T00:00:00Z", endDate: "2023-12-31T00:00:00Z"}) { id } }`, field: "endDate"},
		{name: "phase: description key english", query: `mutation { createPhase(input: {name: "hub", description: {english: "x"}}) { id } }`, field: "description"},
		{name: "phase: duplicate name", query: `mutation { createPhase(input: {name: "pilot"}) { id } }`, field: "name", noField: uniqueGap},
		{name: "phase: update only the end, before the stored start", query: `mutation($id: ID!) { updatePhase(id: $id, input: {endDate: "2020-12-31T00:00:00Z"}) { id } }`,
			vars: v("id", fx.pilot), field: "endDate"},
		{name: "phase: update only the start, after the stored end", query: `mutation($id: ID!) { updatePhase(id: $id, input: {startDate: "2023-06-01T00:00:00Z"}) { id } }`,
			vars: v("id", fx.pilot), field: "endDate"},
		notFound("phase: update unknown", `mutation($id: ID!) { updatePhase(id: $id, input: {name: "x"}) { id } }`, fx.unknownPhase),
		notFound("phase: delete unknown", `mutation($id: ID!) { deletePhase(id: $id) }`, fx.unknownPhase),
		{name: "phase: delete with partnerships", query: `mutation($id: ID!) { deletePhase(id: $id) }`, vars: v("id", fx.pilot), message: "still referenced"},

		// Partnership.
		{name: "partnership: two Ukrainian municipalities", query: createPartnership, vars: v("ua", fx.chuhuiv, "eu", fx.kakhovka, "phase", fx.recovery),
			field: "europeanMunicipalityID"},
		{name: "partnership: two EU municipalities", query: createPartnership, vars: v("ua", fx.kuldiga, "eu", fx.druskininkai, "phase", fx.recovery),
			field: "ukrainianMunicipalityID"},
		{name: "partnership: duplicate pair", query: createPartnership, vars: v("ua", fx.chuhuiv, "eu", fx.kuldiga, "phase", fx.recovery),
			field: "europeanMunicipalityID", message: "already exists"},
		{name: "partnership: unknown Ukrainian municipality", query: createPartnership, vars: v("ua", fx.unknownMunicipality, "eu", fx.druskininkai, "phase", fx.recovery),
			field: "ukrainianMunicipalityID"},
		{name: "partnership: unknown EU municipality", query: createPartnership, vars: v("ua", fx.chuhuiv, "eu", fx.unknownMunicipality, "phase", fx.recovery),
			field: "europeanMunicipalityID"},
		{name: "partnership: unknown phase", query: createPartnership, vars: v("ua", fx.chuhuiv, "eu", fx.druskininkai, "phase", fx.unknownPhase),
			field: "phaseID", noField: fkGap},
		{name: "partnership: end before start", query: `mutation($ua: ID!, $eu: ID!, $phase: ID!) { createPartnership(input: {
			ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu, phaseID: $phase,
			startDate: "2023-05-01T00:00:00Z", endDate: "2023-04-30T00:00:00Z"}) { id } }`,
			vars: v("ua", fx.chuhuiv, "eu", fx.druskininkai, "phase", fx.recovery), field: "endDate"},
		{name: "partnership: source ftp", query: `mutation($ua: ID!, $eu: ID!, $phase: ID!) { createPartnership(input: {
			ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu, phaseID: $phase, source: "ftp://x"}) { id } }`,
			vars: v("ua", fx.chuhuiv, "eu", fx.druskininkai, "phase", fx.recovery), field: "source"},
		{name: "partnership: unknown facilitator", query: `mutation($ua: ID!, $eu: ID!, $phase: ID!, $a: ID!) { createPartnership(input: {
			ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu, phaseID: $phase, facilitatorIDs: [$a]}) { id } }`,
			vars: v("ua", fx.chuhuiv, "eu", fx.druskininkai, "phase", fx.recovery, "a", fx.unknownAssociation), field: "facilitatorIDs", noField: fkGap},
		{name: "partnership: update only the end, before the stored start", query: `mutation($id: ID!) { updatePartnership(id: $id, input: {endDate: "2022-02-28T00:00:00Z"}) { id } }`,
			vars: v("id", fx.chuhuivKuldiga), field: "endDate"},
		{name: "partnership: update makes the EU side Ukrainian", query: `mutation($id: ID!, $m: ID!) { updatePartnership(id: $id, input: {europeanMunicipalityID: $m}) { id } }`,
			vars: v("id", fx.chuhuivKuldiga, "m", fx.kakhovka), field: "europeanMunicipalityID"},
		{name: "partnership: update makes the Ukrainian side EU", query: `mutation($id: ID!, $m: ID!) { updatePartnership(id: $id, input: {ukrainianMunicipalityID: $m}) { id } }`,
			vars: v("id", fx.chuhuivKuldiga, "m", fx.druskininkai), field: "ukrainianMunicipalityID"},
		{name: "partnership: update onto an existing pair", query: `mutation($id: ID!, $ua: ID!, $eu: ID!) { updatePartnership(id: $id, input: {ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu}) { id } }`,
			vars: v("id", fx.chuhuivKuldiga, "ua", fx.fastiv, "eu", fx.druskininkai), field: "europeanMunicipalityID"},
		{name: "partnership: a theme over 100 bytes", query: `mutation($id: ID!, $t: [String!]) { updatePartnership(id: $id, input: {themes: $t}) { id } }`,
			vars: v("id", fx.chuhuivKuldiga, "t", []string{"water", strings.Repeat("t", 101)}), field: "themes"},
		{name: "partnership: 21 themes", query: `mutation($id: ID!, $t: [String!]) { updatePartnership(id: $id, input: {themes: $t}) { id } }`,
			vars: v("id", fx.chuhuivKuldiga, "t", strings.Split(strings.Repeat("theme,", 21)[:6*21-1], ",")), field: "themes"},
		{name: "partnership: a theme over the cap of any string", query: `mutation($id: ID!, $t: [String!]) { updatePartnership(id: $id, input: {themes: $t}) { id } }`,
			vars: v("id", fx.chuhuivKuldiga, "t", []string{strings.Repeat("t", 200_000)}), field: "themes", message: "bytes"},
		notFound("partnership: update unknown", `mutation($id: ID!) { updatePartnership(id: $id, input: {status: ACTIVE}) { id } }`, fx.unknownPartnering),
		notFound("partnership: delete unknown", `mutation($id: ID!) { deletePartnership(id: $id) }`, fx.unknownPartnering),
		{name: "partnership: delete with projects", query: `mutation($id: ID!) { deletePartnership(id: $id) }`, vars: v("id", fx.chuhuivKuldiga), message: "still referenced"},
		{name: "partnership: anonymous create", query: createPartnership, vars: v("ua", fx.chuhuiv, "eu", fx.druskininkai, "phase", fx.recovery),
			code: "UNAUTHENTICATED", anonymous: true},

		// Project.
		{name: "project: blank title", query: `mutation($p: ID!) { createProject(input: {title: " ", sector: WATER, partnershipID: $p}) { id } }`,
			vars: v("p", fx.chuhuivKuldiga), field: "title"},
		{name: "project: budget -1", query: `mutation($p: ID!) { createProject(input: {title: "Pumps", sector: WATER, partnershipID: $p, budgetEur: -1}) { id } }`,
			vars: v("p", fx.chuhuivKuldiga), field: "budgetEur"},
		{name: "project: title translation key english", query: `mutation($p: ID!) { createProject(input: {title: "Pumps", sector: WATER, partnershipID: $p, titleTranslations: {english: "x"}}) { id } }`,
			vars: v("p", fx.chuhuivKuldiga), field: "titleTranslations"},
		{name: "project: a summary over 5,000 bytes", query: `mutation($p: ID!, $s: Translations) { createProject(input: {title: "Pumps", sector: WATER, partnershipID: $p, summary: $s}) { id } }`,
			vars: v("p", fx.chuhuivKuldiga, "s", map[string]any{"uk": strings.Repeat("ї", 2501)}), field: "summary"},
		{name: "project: empty summary text", query: `mutation($p: ID!) { createProject(input: {title: "Pumps", sector: WATER, partnershipID: $p, summary: {en: ""}}) { id } }`,
			vars: v("p", fx.chuhuivKuldiga), field: "summary"},
		{name: "project: unknown partnership", query: `mutation($p: ID!) { createProject(input: {title: "Pumps", sector: WATER, partnershipID: $p}) { id } }`,
			vars: v("p", fx.unknownPartnering), field: "partnershipID", noField: fkGap},
		{name: "project: unknown lead municipality", query: `mutation($p: ID!, $m: ID!) { createProject(input: {title: "Pumps", sector: WATER, partnershipID: $p, leadMunicipalityID: $m}) { id } }`,
			vars: v("p", fx.chuhuivKuldiga, "m", fx.unknownMunicipality), field: "leadMunicipalityID", noField: fkGap},
		{name: "project: update budget -1", query: `mutation($id: ID!) { updateProject(id: $id, input: {budgetEur: -1}) { id } }`, vars: v("id", fx.project), field: "budgetEur"},
		{name: "project: update blank title", query: `mutation($id: ID!) { updateProject(id: $id, input: {title: ""}) { id } }`, vars: v("id", fx.project), field: "title"},
		notFound("project: update unknown", `mutation($id: ID!) { updateProject(id: $id, input: {title: "X"}) { id } }`, fx.unknownProject),
		notFound("project: delete unknown", `mutation($id: ID!) { deleteProject(id: $id) }`, fx.unknownProject),

		// Activity.
		{name: "activity: blank title", query: `mutation { createActivity(input: {title: "", kind: TRAINING}) { id } }`, field: "title"},
		{name: "activity: end before start", query: `mutation { createActivity(input: {title: "Training", kind: TRAINING, startDate: "2024-03-02T00:00:00Z", endDate: "2024-03-01T00:00:00Z"}) { id } }`,
			field: "endDate"},
		{name: "activity: participants -1", query: `mutation { createActivity(input: {title: "Training", kind: TRAINING, participantCount: -1}) { id } }`, field: "participantCount"},
		{name: "activity: source ftp", query: `mutation { createActivity(input: {title: "Training", kind: TRAINING, source: "ftp://x"}) { id } }`, field: "source"},
		{name: "activity: unknown organiser", query: `mutation($a: ID!) { createActivity(input: {title: "Training", kind: TRAINING, organiserID: $a}) { id } }`,
			vars: v("a", fx.unknownAssociation), field: "organiserID", noField: fkGap},
		{name: "activity: unknown partnership", query: `mutation($p: ID!) { createActivity(input: {title: "Training", kind: TRAINING, partnershipIDs: [$p]}) { id } }`,
			vars: v("p", fx.unknownPartnering), field: "partnershipIDs", noField: fkGap},
		{name: "activity: update only the end, before the stored start", query: `mutation($id: ID!) { updateActivity(id: $id, input: {endDate: "2023-05-07T00:00:00Z"}) { id } }`,
			vars: v("id", fx.visit), field: "endDate"},
		notFound("activity: update unknown", `mutation($id: ID!) { updateActivity(id: $id, input: {title: "X"}) { id } }`, fx.unknownActivity),
		notFound("activity: delete unknown", `mutation($id: ID!) { deleteActivity(id: $id) }`, fx.unknownActivity),
	}
}

// createPartnership creates a partnership of $ua, $eu and $phase.
const createPartnership = `mutation($ua: ID!, $eu: ID!, $phase: ID!) {
	createPartnership(input: {ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu, phaseID: $phase}) { id } }`

// TestMutationsRefuseInvalidInput sends every refusal and checks the
// answer and that nothing was written.
func TestMutationsRefuseInvalidInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		fx := loadFixture(t, h)
		for _, r := range refusals(fx) {
			t.Run(r.name, func(t *testing.T) {
				before := take(t, store.Client)
				send := h.mutate
				if r.anonymous {
					send = h.query
				}
				resp := send(t, r.query, r.vars)
				if after := take(t, store.Client); after != before {
					t.Errorf("the refused mutation wrote to the store (audit log %d -> %d rows)", before.audits, after.audits)
				}
				wantCode := r.code
				if wantCode == "" {
					wantCode = "BAD_USER_INPUT"
				}
				// Refused before running: no data entry; refused while
				// running: data null.
				if len(resp.Errors) != 1 || len(resp.Data) > 0 && string(resp.Data) != "null" {
					t.Errorf("want one error and no data, got status %d: %s", resp.Status, resp.Body)
					return
				}
				e := resp.Errors[0]
				ok := e.Code() == wantCode && e.Field() == r.field && strings.Contains(e.Message, r.message)
				switch {
				case ok && (r.bug != "" || r.noField != ""):
					t.Logf("the known problem seems fixed, remove its note: %s%s", r.bug, r.noField)
				case ok:
				case r.bug != "":
					t.Skipf("KNOWN BUG: %s; got %s", r.bug, resp.Body)
				case r.noField != "" && e.Code() == wantCode && e.Field() == "" && strings.Contains(e.Message, r.message):
					t.Skipf("KNOWN GAP: %s; got %s", r.noField, resp.Body)
				default:
					t.Errorf("want code %s, field %q, message with %q; got %s", wantCode, r.field, r.message, resp.Body)
				}
			})
		}
	})
}

// roundTrip is a create, an update and a delete of one entity type.
type roundTrip struct {
	typename       string
	create, update string
	// vars builds the create's variables from the fixture.
	vars func(fixture) map[string]any
	// selection is what the mutations and node(id:) select.
	selection string
	// created and updated are fragments of the JSON answer that must occur
	// after the create and after the update.
	created, updated []string
	// gone are fragments that must not occur after the update.
	gone []string
	// private rows are read as the secretariat: concept projects are
	// visible to their partnerships' staff only.
	private bool
}

// roundTrips lists a create, update and delete of every entity type.
func roundTrips() []roundTrip {
	return []roundTrip{
		{
			typename:  "Country",
			create:    `{name: "Norway", code: "NO", nameTranslations: {uk: "Норвегія"}}`,
			update:    `{name: "Kingdom of Norway", euMember: false}`,
			selection: `id code euMember name uk: name(lang: "uk")`,
			created:   []string{`"code":"NO"`, `"name":"Norway"`, `"uk":"Норвегія"`},
			updated:   []string{`"name":"Kingdom of Norway"`, `"uk":"Норвегія"`},
		},
		{
			typename:  "Region",
			create:    `{name: "Kurzeme", kind: REGION, countryID: $latvia}`,
			update:    `{name: "Courland", nameTranslations: {lv: "Kurzeme"}}`,
			selection: `id name lv: name(lang: "lv") kind country { code }`,
			created:   []string{`"name":"Kurzeme"`, `"kind":"REGION"`, `"code":"LV"`},
			updated:   []string{`"name":"Courland"`, `"lv":"Kurzeme"`},
		},
		{
			typename: "Municipality",
			create: `{name: "Saldus", localName: "Saldus", countryID: $latvia, kind: TOWN, population: 10000, latitude: 56.66,
				longitude: 22.49, website: "https://saldus.lv", profile: {en: "A town in Courland", uk: "Місто в Курземе"}, needs: [WATER, ENERGY]}`,
			update:    `{population: 9000, clearWebsite: true, needs: [HEALTH], offers: [CULTURE]}`,
			selection: `id name kind population latitude longitude website profile needs offers country { code }`,
			created:   []string{`"population":10000`, `"latitude":56.66`, `"website":"https://saldus.lv"`, `"needs":["WATER","ENERGY"]`, `"uk":"Місто в Курземе"`},
			updated:   []string{`"population":9000`, `"needs":["HEALTH"]`, `"offers":["CULTURE"]`},
			gone:      []string{`saldus.lv`},
		},
		{
			typename:  "Association",
			create:    `{name: "Test association", acronym: "TST", kind: OTHER, website: "https://example.org", countryID: $latvia}`,
			update:    `{acronym: "TST2", clearCountry: true}`,
			selection: `id acronym kind website name country { code }`,
			created:   []string{`"acronym":"TST"`, `"kind":"OTHER"`, `"code":"LV"`},
			updated:   []string{`"acronym":"TST2"`, `"country":null`},
		},
		{
			typename: "Phase",
			create: `{name: "community-hub-test", title: "Hub", startDate: "2024-01-01T00:00:00Z", endDate: "2025-12-31T00:00:00Z",
				description: {en: "The hub", uk: "Хаб"}}`,
			update:    `{endDate: "2026-12-31T00:00:00Z"}`,
			selection: `id name title startDate endDate description`,
			created:   []string{`"name":"community-hub-test"`, `"endDate":"2025-12-31T00:00:00Z"`, `"uk":"Хаб"`},
			updated:   []string{`"endDate":"2026-12-31T00:00:00Z"`, `"startDate":"2024-01-01T00:00:00Z"`},
		},
		{
			typename: "Partnership",
			create: `{ukrainianMunicipalityID: $chuhuiv, europeanMunicipalityID: $druskininkai, phaseID: $recovery, status: PROPOSED,
				startDate: "2024-01-01T00:00:00Z", themes: ["water"], facilitatorIDs: [$lalrg]}`,
			update: `{status: ACTIVE, themes: ["water", "energy"], endDate: "2025-01-01T00:00:00Z", removeFacilitatorIDs: [$lalrg]}`,
			selection: `id status themes startDate endDate ukrainianMunicipality { name } europeanMunicipality { name } phase { name }
				facilitators { edges { node { acronym } } }`,
			created: []string{`"status":"PROPOSED"`, `"themes":["water"]`, `"name":"Chuhuiv"`, `"name":"Druskininkai"`, `"acronym":"LALRG"`},
			updated: []string{`"status":"ACTIVE"`, `"themes":["water","energy"]`, `"endDate":"2025-01-01T00:00:00Z"`, `"facilitators":{"edges":[]}`},
		},
		{
			typename:  "Project",
			create:    `{title: "Solar panels", sector: ENERGY, partnershipID: $chuhuivKuldiga, budgetEur: 250000, funderIDs: [$lalrg], summary: {en: "Roofs"}}`,
			update:    `{status: SUBMITTED, budgetEur: 312500.5, titleTranslations: {uk: "Сонячні панелі"}}`,
			selection: `id title titleTranslations sector status budgetEur partnership { id } funders { totalCount }`,
			created:   []string{`"title":"Solar panels"`, `"status":"CONCEPT"`, `"budgetEur":250000`, `"totalCount":1`},
			updated:   []string{`"status":"SUBMITTED"`, `"budgetEur":312500.5`, `"uk":"Сонячні панелі"`},
			private:   true,
		},
		{
			typename: "Activity",
			create: `{title: "Expert mission on water", kind: EXPERT_MISSION, startDate: "2024-04-01T00:00:00Z", endDate: "2024-04-03T00:00:00Z",
				place: "Kuldīga", participantCount: 12, organiserID: $lalrg, partnershipIDs: [$chuhuivKuldiga]}`,
			update:    `{participantCount: 15, clearPlace: true, online: true}`,
			selection: `id title kind participantCount place online organiser { acronym } partnerships { totalCount }`,
			created:   []string{`"participantCount":12`, `"place":"Kuldīga"`, `"acronym":"LALRG"`, `"totalCount":1`},
			updated:   []string{`"participantCount":15`, `"online":true`},
			gone:      []string{`Kuldīga`},
		},
	}
}

// TestMutationRoundTrips creates, reads, updates and deletes one row of
// every entity type; afterwards the store holds what it held before, and
// the audit log has one entry more for each change.
func TestMutationRoundTrips(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		fx := loadFixture(t, h)
		refs := map[string]string{"latvia": fx.latvia, "chuhuiv": fx.chuhuiv, "druskininkai": fx.druskininkai,
			"recovery": fx.recovery, "lalrg": fx.lalrg, "chuhuivKuldiga": fx.chuhuivKuldiga}
		for _, rt := range roundTrips() {
			t.Run(rt.typename, func(t *testing.T) {
				before := take(t, store.Client)
				params, vars := declare(rt.create, refs, "")
				create := fmt.Sprintf(`mutation%s { create%s(input: %s) { %s } }`, params, rt.typename, rt.create, rt.selection)
				resp := h.mutate(t, create, vars)
				resp.NoErrors(t)
				var created map[string]map[string]any
				resp.Decode(t, &created)
				id, _ := created["create"+rt.typename]["id"].(string)
				if id == "" {
					t.Fatalf("create%s returned no id: %s", rt.typename, resp.Body)
				}
				wantFragments(t, "create", resp.Data, rt.created)
				wantFragments(t, "node after create", nodeJSON(t, h, id, rt), rt.created)

				params, vars = declare(rt.update, refs, id)
				update := fmt.Sprintf(`mutation%s { update%s(id: $id, input: %s) { %s } }`, params, rt.typename, rt.update, rt.selection)
				resp = h.mutate(t, update, vars)
				resp.NoErrors(t)
				wantFragments(t, "update", resp.Data, rt.updated)
				node := nodeJSON(t, h, id, rt)
				wantFragments(t, "node after update", node, rt.updated)
				for _, f := range rt.gone {
					if strings.Contains(string(node), f) {
						t.Errorf("node after update: %s still has %s", node, f)
					}
				}

				resp = h.mutate(t, fmt.Sprintf(`mutation($id: ID!) { delete%s(id: $id) }`, rt.typename), map[string]any{"id": id})
				resp.NoErrors(t)
				var deleted map[string]string
				resp.Decode(t, &deleted)
				if deleted["delete"+rt.typename] != id {
					t.Errorf("delete%s returned %v, want %s", rt.typename, deleted, id)
				}
				if resp := h.query(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); resp.Code() != "NOT_FOUND" {
					t.Errorf("node(id:) after the delete: %s, want NOT_FOUND", resp.Body)
				}
				after := take(t, store.Client)
				if after.rows != before.rows {
					t.Error("after create, update and delete the store differs from before")
				}
				if after.audits != before.audits+3 {
					t.Errorf("audit log grew by %d entries, want 3 (create, update, delete)", after.audits-before.audits)
				}
			})
		}
	})
}

// reference matches a variable reference such as $latvia.
var reference = regexp.MustCompile(`\$[A-Za-z]+`)

// declare returns the variable declarations and values of the references
// that input makes to refs, plus $id when id is not empty.
func declare(input string, refs map[string]string, id string) (string, map[string]any) {
	var decls []string
	vars := map[string]any{}
	if id != "" {
		decls, vars["id"] = append(decls, "$id: ID!"), id
	}
	for _, ref := range reference.FindAllString(input, -1) {
		name := ref[1:]
		if _, done := vars[name]; !done {
			decls, vars[name] = append(decls, ref+": ID!"), refs[name]
		}
	}
	if len(decls) == 0 {
		return "", vars
	}
	return "(" + strings.Join(decls, ", ") + ")", vars
}

// nodeJSON reads the node with the round trip's selection, anonymously
// unless the row is private.
func nodeJSON(t *testing.T, h *hub, id string, rt roundTrip) json.RawMessage {
	t.Helper()
	send := h.query
	if rt.private {
		send = h.mutate
	}
	resp := send(t, fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on %s { %s } } }`, rt.typename, rt.selection), map[string]any{"id": id})
	resp.NoErrors(t)
	return resp.Data
}

// wantFragments fails unless every fragment occurs in data.
func wantFragments(t *testing.T, what string, data json.RawMessage, fragments []string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(string(data), f) {
			t.Errorf("%s: %s lacks %s", what, data, f)
		}
	}
}

// TestAppendToListFields appends to the list fields that the update
// inputs offer appendX for: the sectors a municipality needs and the
// themes of a partnership.
func TestAppendToListFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		fx := loadFixture(t, h)
		cases := []struct {
			name, set, appendTo string
			id                  string
			want                []string
		}{
			{"municipality needs", `updateMunicipality(id: $id, input: {needs: [WATER]}) { list: needs }`,
				`updateMunicipality(id: $id, input: {appendNeeds: [ENERGY, HEALTH]}) { list: needs }`, fx.chuhuiv, []string{"WATER", "ENERGY", "HEALTH"}},
			{"partnership themes", `updatePartnership(id: $id, input: {themes: ["culture"]}) { list: themes }`,
				`updatePartnership(id: $id, input: {appendThemes: ["tourism"]}) { list: themes }`, fx.chuhuivKuldiga, []string{"culture", "tourism"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				vars := map[string]any{"id": c.id}
				var got struct{ Set, Appended struct{ List []string } }
				resp := h.mutate(t, `mutation($id: ID!) { set: `+c.set+` }`, vars)
				resp.NoErrors(t)
				resp = h.mutate(t, `mutation($id: ID!) { appended: `+c.appendTo+` }`, vars)
				resp.NoErrors(t)
				resp.Decode(t, &got)
				if slices.Equal(got.Appended.List, c.want) {
					return
				}
				if slices.Equal(got.Appended.List, c.want[:1]) {
					// Known bug, reported: ent/gql_mutation_input.go (entgql)
					// generates m.AppendNeeds(i.Needs) instead of
					// m.AppendNeeds(i.AppendNeeds), so appendX appends
					// the (absent) replacement list: nothing.
					t.Skipf("KNOWN BUG (entgql SetInput appends the wrong list): %s left %q unchanged", c.appendTo, got.Appended.List)
				}
				t.Errorf("%s gave %q, want %q", c.appendTo, got.Appended.List, c.want)
			})
		}
	})
}

// TestCrossRowRules sends changes that are valid field by field but break
// a rule between rows: a municipality in a region of another country, and
// the Ukrainian side of a partnership moved out of Ukraine. The
// municipality hook (validateMunicipalityPlace) refuses both, writing
// nothing.
func TestCrossRowRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		fx := loadFixture(t, h)
		cases := []struct {
			name, query string
			vars        map[string]any
			field, bug  string
		}{
			{"municipality in a region of another country",
				`mutation($c: ID!, $r: ID!) { createMunicipality(input: {name: "Saldus", countryID: $c, regionID: $r}) { id } }`,
				map[string]any{"c": fx.latvia, "r": fx.kharkiv}, "regionID",
				"a municipality would be in a region of another country"},
			{"Ukrainian side of a partnership moved to Latvia",
				`mutation($id: ID!, $c: ID!) { updateMunicipality(id: $id, input: {countryID: $c}) { id } }`,
				map[string]any{"id": fx.chuhuiv, "c": fx.latvia}, "countryID",
				"the partnership would no longer join a Ukrainian and an EU municipality"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := take(t, store.Client)
				resp := h.mutate(t, c.query, c.vars)
				if len(resp.Errors) == 0 {
					t.Fatalf("accepted, but %s: %s", c.bug, resp.Body)
				}
				if after := take(t, store.Client); after != before {
					t.Error("the refused mutation wrote to the store")
				}
				if resp.Code() != "BAD_USER_INPUT" || resp.Errors[0].Field() != c.field {
					t.Errorf("want BAD_USER_INPUT on %s, got %s", c.field, resp.Body)
				}
			})
		}
	})
}

// TestAppendedThemesAreBounded appends to a partnership's themes in the
// store (the API's appendThemes does not append, see
// TestAppendToListFields): the list they would become is checked too.
func TestAppendedThemesAreBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		id, err := strconv.Atoi(loadFixture(t, h).chuhuivKuldiga)
		if err != nil {
			t.Fatal(err)
		}
		update := store.Client.Partnership.UpdateOneID(id)
		if err := update.SetThemes([]string{"culture"}).AppendThemes([]string{"tourism"}).Exec(sys()); err != nil {
			t.Fatalf("appending within the bounds: %v", err)
		}
		for name, themes := range map[string][]string{
			"20 more":       strings.Split(strings.Repeat("x,", 20)[:39], ","),
			"a long theme":  {strings.Repeat("t", 101)},
			"a blank theme": {" "},
		} {
			err := store.Client.Partnership.UpdateOneID(id).AppendThemes(themes).Exec(sys())
			if fe, ok := errors.AsType[*validation.FieldError](err); !ok || fe.Field != "themes" {
				t.Errorf("appending %s: %v, want an error on themes", name, err)
			}
		}
	})
}
