package apitest

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// The aggregates are checked against the lists they aggregate: every group
// of each stats query must hold exactly the records that paging through the
// list (as the same viewer, through the API) puts in it, with the same sum.

// node is one record of a list, as the API returned it.
type node map[string]any

// path follows keys through nested objects; nil when one is missing.
func (n node) path(keys ...string) any {
	var v any = map[string]any(n)
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// str returns the string at keys, or nil.
func (n node) str(keys ...string) []*string {
	s, ok := n.path(keys...).(string)
	if !ok {
		return []*string{nil}
	}
	return []*string{&s}
}

// year returns the year of the time at keys, or nil.
func (n node) year(keys ...string) []*string {
	s := n.str(keys...)[0]
	if s == nil {
		return s2(nil)
	}
	y := (*s)[:4]
	return s2(&y)
}

// month returns the UTC month (2026-03) of the time at keys, or nil.
func (n node) month(keys ...string) []*string {
	s := n.str(keys...)[0]
	if s == nil {
		return s2(nil)
	}
	at, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		panic(err)
	}
	m := at.UTC().Format("2006-01")
	return s2(&m)
}

// s2 wraps one key value.
func s2(s *string) []*string { return []*string{s} }

// each returns the strings of the list at keys (the values of field of its
// items when field is set); nil alone when the list is empty.
func (n node) each(field string, keys ...string) []*string {
	items, _ := n.path(keys...).([]any)
	var out []*string
	seen := map[string]bool{}
	for _, it := range items {
		v := it
		if field != "" {
			v = it.(map[string]any)["node"].(map[string]any)[field]
		}
		s := v.(string)
		if !seen[s] {
			seen[s] = true
			out = append(out, &s)
		}
	}
	if len(out) == 0 {
		return s2(nil)
	}
	return out
}

// listAll pages through a connection field of the Query type, selecting
// fields of each node, as the viewer of header.
func listAll(t *testing.T, h *hub, field, fields string, header http.Header) []node {
	t.Helper()
	var out []node
	var after *string
	for {
		q := fmt.Sprintf(`query($after: Cursor) { list: %s(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { %s } } } }`, field, fields)
		resp := gqltest.Post(t, h.endpoint, q, map[string]any{"after": after}, header)
		resp.NoErrors(t)
		var d struct {
			List struct {
				PageInfo pageInfo
				Edges    []struct{ Node node }
			}
		}
		resp.Decode(t, &d)
		for _, e := range d.List.Edges {
			out = append(out, e.Node)
		}
		if !d.List.PageInfo.HasNextPage {
			return out
		}
		after = d.List.PageInfo.EndCursor
	}
}

// group is a group as a stats query returns it.
type group struct {
	Keys   []*string
	Count  int
	Topics int
	Sum    map[string]*float64
}

// keyString joins keys, writing null as ∅.
func keyString(keys []*string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = "∅"
		if k != nil {
			parts[i] = *k
		}
	}
	return strings.Join(parts, " | ")
}

// tally is a group computed from a list: its count and measure sum.
type tally struct {
	count    int
	sum      float64
	some     bool
	distinct map[string]bool
}

// expected groups nodes by the key functions (each may give several values
// for one record), summing measure when it is set and collecting the
// distinct values of distinct when it is set.
func expected(nodes []node, keys []func(node) []*string, measure string, distinct func(node) []*string) map[string]*tally {
	out := map[string]*tally{}
	for _, n := range nodes {
		combos := [][]*string{nil}
		for _, k := range keys {
			var next [][]*string
			for _, c := range combos {
				for _, v := range k(n) {
					next = append(next, append(slices.Clone(c), v))
				}
			}
			combos = next
		}
		for _, c := range combos {
			key := keyString(c)
			if out[key] == nil {
				out[key] = &tally{distinct: map[string]bool{}}
			}
			out[key].count++
			if distinct != nil {
				out[key].distinct[keyString(distinct(n))] = true
			}
			if v, ok := n[measure].(float64); ok && measure != "" {
				out[key].sum += v
				out[key].some = true
			}
		}
	}
	return out
}

// statsCase is one stats query checked against its list.
type statsCase struct {
	field, list, fields, measure string
	keys                         map[string]func(node) []*string
	// distinct is the value whose distinct values the group's topics
	// field counts (forumStats); nil for the others.
	distinct func(node) []*string
}

var statsCases = []statsCase{
	{field: "partnershipStats", list: "partnerships",
		fields: `status startDate themes phase { name } europeanMunicipality { country { code } }
			ukrainianMunicipality { country { code } region { name } } facilitators(first: 10) { edges { node { name } } }`,
		keys: map[string]func(node) []*string{
			"EU_COUNTRY":  func(n node) []*string { return n.str("europeanMunicipality", "country", "code") },
			"UA_COUNTRY":  func(n node) []*string { return n.str("ukrainianMunicipality", "country", "code") },
			"UA_REGION":   func(n node) []*string { return n.str("ukrainianMunicipality", "region", "name") },
			"PHASE":       func(n node) []*string { return n.str("phase", "name") },
			"STATUS":      func(n node) []*string { return n.str("status") },
			"START_YEAR":  func(n node) []*string { return n.year("startDate") },
			"THEME":       func(n node) []*string { return n.each("", "themes") },
			"FACILITATOR": func(n node) []*string { return n.each("name", "facilitators", "edges") },
		}},
	{field: "projectStats", list: "projects", measure: "budgetEur",
		fields: `status sector budgetEur createdAt partnership { phase { name } }`,
		keys: map[string]func(node) []*string{
			"STATUS": func(n node) []*string { return n.str("status") },
			"SECTOR": func(n node) []*string { return n.str("sector") },
			"PHASE":  func(n node) []*string { return n.str("partnership", "phase", "name") },
			"YEAR":   func(n node) []*string { return n.year("createdAt") },
		}},
	{field: "activityStats", list: "activities", measure: "participantCount",
		fields: `kind startDate participantCount organiser { name }`,
		keys: map[string]func(node) []*string{
			"KIND":      func(n node) []*string { return n.str("kind") },
			"YEAR":      func(n node) []*string { return n.year("startDate") },
			"ORGANISER": func(n node) []*string { return n.str("organiser", "name") },
		}},
	{field: "municipalityStats", list: "municipalities", measure: "population",
		fields: `kind population country { code } region { name }`,
		keys: map[string]func(node) []*string{
			"COUNTRY": func(n node) []*string { return n.str("country", "code") },
			"REGION":  func(n node) []*string { return n.str("region", "name") },
			"KIND":    func(n node) []*string { return n.str("kind") },
		}},
	forumStatsCase,
	newsStatsCase,
}

var forumStatsCase = statsCase{field: "forumStats", list: "posts",
	fields:   `createdAt topic { id category { slug } }`,
	distinct: func(n node) []*string { return n.str("topic", "id") },
	keys: map[string]func(node) []*string{
		"MONTH":    func(n node) []*string { return n.month("createdAt") },
		"CATEGORY": func(n node) []*string { return n.str("topic", "category", "slug") },
		"TOPIC":    func(n node) []*string { return n.str("topic", "id") },
	}}

var newsStatsCase = statsCase{field: "newsStats", list: "newsItems",
	fields: `publishedAt status language partnerships(first: 50) { edges { node { id } } }`,
	keys: map[string]func(node) []*string{
		"MONTH":       func(n node) []*string { return n.month("publishedAt") },
		"STATUS":      func(n node) []*string { return n.str("status") },
		"LANGUAGE":    func(n node) []*string { return n.str("language") },
		"PARTNERSHIP": func(n node) []*string { return n.each("id", "partnerships", "edges") },
	}}

// groupings are the groupBy lists checked for a case: each grouping
// alone, and the first two together.
func (c statsCase) groupings() [][]string {
	names := make([]string, 0, len(c.keys))
	for k := range c.keys {
		names = append(names, k)
	}
	slices.Sort(names)
	out := [][]string{}
	for _, n := range names {
		out = append(out, []string{n})
	}
	return append(out, names[:2])
}

// check compares every grouping of the case with the list, as the viewer
// of header.
func (c statsCase) check(t *testing.T, h *hub, header http.Header) {
	t.Helper()
	nodes := listAll(t, h, c.list, c.fields, header)
	for _, by := range c.groupings() {
		sum := ""
		if c.measure != "" {
			sum = "sum { " + c.measure + " }"
		}
		if c.distinct != nil {
			sum = "topics"
		}
		q := fmt.Sprintf(`{ stats: %s(groupBy: [%s]) { keys count %s } }`, c.field, strings.Join(by, ", "), sum)
		resp := gqltest.Post(t, h.endpoint, q, nil, header)
		resp.NoErrors(t)
		var d struct{ Stats []group }
		resp.Decode(t, &d)
		keys := make([]func(node) []*string, len(by))
		for i, b := range by {
			keys[i] = c.keys[b]
		}
		want := expected(nodes, keys, c.measure, c.distinct)
		got := map[string]bool{}
		for _, g := range d.Stats {
			k := keyString(g.Keys)
			got[k] = true
			w := want[k]
			if w == nil {
				t.Errorf("%s by %v: group %q (%d) is not in the list", c.field, by, k, g.Count)
				continue
			}
			if g.Count != w.count {
				t.Errorf("%s by %v: group %q counts %d, the list %d", c.field, by, k, g.Count, w.count)
			}
			if c.distinct != nil && g.Topics != len(w.distinct) {
				t.Errorf("%s by %v: group %q has %d topics, the list %d", c.field, by, k, g.Topics, len(w.distinct))
			}
			if c.measure != "" {
				s := g.Sum[c.measure]
				if (s != nil) != w.some || (s != nil && math.Abs(*s-w.sum) > 0.01) {
					t.Errorf("%s by %v: group %q sums %v, the list %v", c.field, by, k, s, w.sum)
				}
			}
		}
		for k, w := range want {
			if !got[k] {
				t.Errorf("%s by %v: group %q (%d in the list) is missing", c.field, by, k, w.count)
			}
		}
	}
}

// checkAllStats runs every stats case for an anonymous viewer and for the
// secretariat.
func checkAllStats(t *testing.T, h *hub) {
	for _, c := range statsCases {
		t.Run(c.field, func(t *testing.T) {
			t.Run("anonymous", func(t *testing.T) { c.check(t, h, nil) })
			t.Run("secretariat", func(t *testing.T) { c.check(t, h, h.admin) })
		})
	}
}

// TestStatsMatchListsOnDemo compares each aggregate with its list on the
// demo data.
func TestStatsMatchListsOnDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) { checkAllStats(t, demoHub(t, store)) })
}

// TestStatsMatchListsOnSynthetic compares each aggregate with its list on
// a small synthetic data set.
func TestStatsMatchListsOnSynthetic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		opts := seed.SyntheticOptions{Municipalities: 80, Partnerships: 150, Projects: 80, Activities: 60, Seed: 3, Logger: quietLogger()}
		if err := seed.Synthetic(sys(), store.Client, opts); err != nil {
			t.Fatal(err)
		}
		checkAllStats(t, serve(t, store))
	})
}

// TestStatsFollowChanges changes through the API what partnerships are
// grouped by (a Ukrainian town moves to another oblast, another loses its
// oblast, a partnership gets another EU town and names a theme twice): the
// aggregates still match the lists, and the theme is stored once.
func TestStatsFollowChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		fx := loadFixture(t, h)
		var zhytomyr struct {
			R struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		h.data(t, `{ r: regions(where: {name: "Zhytomyr"}) { edges { node { id } } } }`, nil, &zhytomyr)
		if len(zhytomyr.R.Edges) != 1 {
			t.Fatalf("regions named Zhytomyr: %d", len(zhytomyr.R.Edges))
		}
		for _, m := range []struct {
			query string
			vars  map[string]any
		}{
			{`mutation($id: ID!, $r: ID!) { updateMunicipality(id: $id, input: {regionID: $r}) { id } }`,
				map[string]any{"id": fx.chuhuiv, "r": zhytomyr.R.Edges[0].Node.ID}},
			{`mutation($id: ID!) { updateMunicipality(id: $id, input: {clearRegion: true}) { id } }`, map[string]any{"id": fx.fastiv}},
			{`mutation($id: ID!, $eu: ID!) { updatePartnership(id: $id, input: {europeanMunicipalityID: $eu, themes: ["water", "culture", "water"]}) { id } }`,
				map[string]any{"id": fx.chuhuivKuldiga, "eu": fx.druskininkai}},
		} {
			h.mutate(t, m.query, m.vars).NoErrors(t)
		}
		checkAllStats(t, h)
		var p struct{ Node struct{ Themes []string } }
		h.data(t, `query($id: ID!) { node(id: $id) { ... on Partnership { themes } } }`, map[string]any{"id": fx.chuhuivKuldiga}, &p)
		if !slices.Equal(p.Node.Themes, []string{"water", "culture"}) {
			t.Errorf("themes stored as %q, want each once in the order given", p.Node.Themes)
		}
	})
}

// TestStatsAreCosted checks that the query-cost limit counts a grouped
// aggregate as a scan plus a page of groups: ten pass, forty do not.
func TestStatsAreCosted(t *testing.T) {
	h := serve(t, dbtest.Open(t, "sqlite"))
	aliases := func(field string, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, " s%d: %s(groupBy: [MONTH]) { keys count }", i, field)
		}
		return "{" + strings.ReplaceAll(b.String(), "partnershipStats(groupBy: [MONTH])", "partnershipStats(groupBy: [PHASE])") + " }"
	}
	for _, field := range []string{"partnershipStats", "forumStats", "newsStats"} {
		h.query(t, aliases(field, 10), nil).NoErrors(t)
		if code := h.query(t, aliases(field, 40), nil).Code(); code != "QUERY_TOO_COMPLEX" {
			t.Errorf("forty %s: code %q, want QUERY_TOO_COMPLEX", field, code)
		}
	}
}

// TestStatsRefuseBadGroupings checks the errors of an empty or repeated
// groupBy.
func TestStatsRefuseBadGroupings(t *testing.T) {
	h := serve(t, dbtest.Open(t, "sqlite"))
	for _, q := range []string{
		`{ partnershipStats(groupBy: []) { count } }`,
		`{ partnershipStats(groupBy: [PHASE, PHASE]) { count } }`,
		`{ programmeFigures(phase: "nope") { partnerships { live } } }`,
	} {
		if code := h.query(t, q, nil).Code(); code != "BAD_USER_INPUT" {
			t.Errorf("%s: code %q, want BAD_USER_INPUT", q, code)
		}
	}
}

// figure is a programme figure as the API returns it.
type figure struct {
	Live      int
	Published *int
}

const figuresQuery = `query($phase: String) { f: programmeFigures(phase: $phase) {
  phase partnerships { live published } euCountries { live published } ukrainianOblasts { live published }
  expertMissions { live published } studyVisits { live published } solidarityForums { live published }
  peopleTrained { live published } jointProjectProposals { live published byStatus { status count } } } }`

// figures asks for the programme figures of phase (nil: all) as the viewer
// of header.
func figures(t *testing.T, h *hub, phase *string, header http.Header) map[string]any {
	t.Helper()
	resp := gqltest.Post(t, h.endpoint, figuresQuery, map[string]any{"phase": phase}, header)
	resp.NoErrors(t)
	var d struct{ F map[string]any }
	resp.Decode(t, &d)
	return d.F
}

// live returns a figure's live number.
func live(f map[string]any, name string) int {
	return int(f[name].(map[string]any)["live"].(float64))
}

// published returns a figure's published number, or -1 when none is.
func published(f map[string]any, name string) int {
	p, ok := f[name].(map[string]any)["published"].(float64)
	if !ok {
		return -1
	}
	return int(p)
}

// TestProgrammeFiguresOnDemo checks the demo's live figures against the
// lists (through the API) and that the published ones are returned beside
// them.
func TestProgrammeFiguresOnDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		for _, ph := range []string{"pilot", "recovery"} {
			f := figures(t, h, &ph, nil)
			var d struct {
				List struct{ TotalCount int } `json:"list"`
			}
			h.data(t, `query($p: String!) { list: partnerships(where: {hasPhaseWith: [{name: $p}]}) { totalCount } }`, map[string]any{"p": ph}, &d)
			if got := live(f, "partnerships"); got != d.List.TotalCount {
				t.Errorf("%s: partnerships %d, the list %d", ph, got, d.List.TotalCount)
			}
			var stats struct{ S []group }
			h.data(t, `query($p: String!) { s: partnershipStats(where: {hasPhaseWith: [{name: $p}]}, groupBy: [EU_COUNTRY]) { keys count } }`, map[string]any{"p": ph}, &stats)
			if got := live(f, "euCountries"); got != len(stats.S) {
				t.Errorf("%s: euCountries %d, partnershipStats by EU_COUNTRY has %d groups", ph, got, len(stats.S))
			}
		}
		recovery := "recovery"
		f := figures(t, h, &recovery, nil)
		for name, want := range map[string]int{"partnerships": 30, "euCountries": 10, "expertMissions": 30,
			"jointProjectProposals": 48, "solidarityForums": 7, "peopleTrained": 500} {
			if got := published(f, name); got != want {
				t.Errorf("recovery: %s published %d, want %d", name, got, want)
			}
		}
		pilot := "pilot"
		if got := published(figures(t, h, &pilot, nil), "partnerships"); got != 10 {
			t.Errorf("pilot: partnerships published %d, want 10", got)
		}
		all := figures(t, h, nil, nil)
		if got := published(all, "partnerships"); got != 40 {
			t.Errorf("all phases: partnerships published %d, want the sum 40", got)
		}
		if got := published(all, "euCountries"); got != -1 {
			t.Errorf("all phases: euCountries published %d, want none (countries do not add up)", got)
		}
		// The secretariat counts the concept projects an anonymous viewer
		// cannot see, as the project list does.
		if anon, sec := live(figures(t, h, nil, nil), "jointProjectProposals"), live(figures(t, h, nil, h.admin), "jointProjectProposals"); anon >= sec {
			t.Errorf("jointProjectProposals: anonymous %d, secretariat %d; the demo's concept projects should count for the secretariat only", anon, sec)
		}
		for _, header := range []http.Header{nil, h.admin} {
			var d struct {
				List struct{ TotalCount int } `json:"list"`
			}
			resp := gqltest.Post(t, h.endpoint, `{ list: projects { totalCount } }`, nil, header)
			resp.NoErrors(t)
			resp.Decode(t, &d)
			if got := live(figures(t, h, nil, header), "jointProjectProposals"); got != d.List.TotalCount {
				t.Errorf("signed in %v: jointProjectProposals %d, the list %d", header != nil, got, d.List.TotalCount)
			}
		}
	})
}
