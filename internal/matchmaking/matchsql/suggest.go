package matchsql

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/matchprofile"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/need"
	"github.com/bridgesoftrust/hub/ent/offer"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/region"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// Query asks for the best n candidates of a municipality.
type Query struct {
	MunicipalityID int
	N              int
	// CountryIDs, when set, keeps the candidates in these countries.
	CountryIDs []int
	// Sectors, when set, keeps the candidates with a need or offer in one
	// of these sectors.
	Sectors []sector.Sector
	// Now is when needs and offers must be valid; zero means now.
	Now time.Time
	// Weights, when set, replace the weights in force (for the quality
	// report's variants).
	Weights matchmaking.Weights
}

// firstK is how many candidates the first statement returns per wanted
// suggestion; each further round asks for growth times more.
const (
	firstK = 25
	growth = 4
)

// Suggest returns the best q.N candidates of q.MunicipalityID, best first,
// with the stats of the search. It reads past the privacy policies: the
// caller decides who may ask.
func Suggest(ctx context.Context, client *ent.Client, q Query) ([]matchmaking.Suggestion, Stats, error) {
	ctx = authz.SystemContext(ctx)
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	w := q.Weights
	if w == nil {
		var err error
		if w, err = Weights(ctx, client); err != nil {
			return nil, Stats{}, err
		}
	}
	t, err := loadTarget(ctx, client, q.MunicipalityID, q.Now)
	if err != nil {
		return nil, Stats{}, err
	}
	s := &search{client: client, t: t, q: q, w: w, scored: map[int]bool{}}
	return s.run(ctx)
}

// Stats tell how much a search read.
type Stats struct {
	// Statements is how many candidate statements ran; Scored how many
	// candidates were scored in full.
	Statements, Scored int
	// Indexed is whether the Cache's in-memory index answered.
	Indexed bool
}

// search is one run of Suggest.
type search struct {
	client *ent.Client
	t      *target
	q      Query
	w      matchmaking.Weights
	ranked []matchmaking.Suggestion
	scored map[int]bool
	stats  Stats
}

// run searches the candidates with a record in the target's sectors, then,
// if the best n are not certain yet, the others.
func (s *search) run(ctx context.Context) ([]matchmaking.Suggestion, Stats, error) {
	n := max(s.q.N, 1)
	if sectors := s.t.sectors(); len(sectors) > 0 {
		if err := s.tier(ctx, true, n); err != nil {
			return nil, s.stats, err
		}
	}
	if !matchmaking.Complete(s.ranked, n, s.restBound()) {
		if err := s.tier(ctx, false, n); err != nil {
			return nil, s.stats, err
		}
	}
	return s.ranked[:min(n, len(s.ranked))], s.stats, nil
}

// restBound bounds the score of a candidate with no record in the
// target's sectors: the weights of the factors other than NEEDS_MET (the
// first tier's own bound is the last fetched row's).
func (s *search) restBound() float64 {
	return s.w[matchmaking.Size] + s.w[matchmaking.Language] + s.w[matchmaking.Association] + s.w[matchmaking.Open]
}

// tier fetches candidates of one tier (matching: with a record in the
// target's sectors) by falling bound, k at a time, until the best n are
// certain within it or the tier is exhausted.
func (s *search) tier(ctx context.Context, matching bool, n int) error {
	for k := n * firstK; ; k *= growth {
		rows, err := s.fetch(ctx, matching, k)
		if err != nil {
			return err
		}
		if err := s.score(ctx, rows); err != nil {
			return err
		}
		if len(rows) < k {
			return nil // the tier is exhausted
		}
		if matchmaking.Complete(s.ranked, n, rows[len(rows)-1].UB) {
			return nil
		}
	}
}

// row is a candidate as the statement returns it.
type row struct {
	ID           int      `json:"id"`
	Name         string   `json:"name"`
	Population   *int     `json:"population"`
	CountryID    int      `json:"country_id"`
	RegionID     *int     `json:"region_id"`
	ProfileID    *int     `json:"profile_id"`
	Wanted       *int     `json:"wanted_partners"`
	LanguageMask *int64   `json:"language_mask"`
	UB           float64  `json:"ub"`
	NeedsMet     *float64 `json:"n"`
}

// fetch runs the candidate statement for a tier with limit k.
func (s *search) fetch(ctx context.Context, matching bool, k int) ([]row, error) {
	s.stats.Statements++
	var rows []row
	err := s.client.Municipality.Query().Where(s.candidateFilter()...).
		Modify(func(sel *sql.Selector) { s.statement(sel, matching, k) }).
		Scan(ctx, &rows)
	return rows, err
}

// candidateFilter matches the candidates of the other side that may be
// suggested at all.
func (s *search) candidateFilter() []predicate.Municipality {
	countries := s.t.sideCountries
	if len(s.q.CountryIDs) > 0 {
		countries = intersect(countries, s.q.CountryIDs)
	}
	preds := []predicate.Municipality{
		municipality.CountryIDIn(countries...), municipality.IDNotIn(s.t.excluded...), profileOpen(),
	}
	if len(s.q.Sectors) > 0 {
		if s.t.Side == matchmaking.Ukrainian {
			preds = append(preds, municipality.HasOfferRecordsWith(offer.SectorIn(s.q.Sectors...), validOffer(s.q.Now)))
		} else {
			preds = append(preds, municipality.HasNeedRecordsWith(need.SectorIn(s.q.Sectors...), validNeed(s.q.Now)))
		}
	}
	return preds
}

// statement shapes the candidate statement: the candidate's row and
// profile, NEEDS_MET from its records, the upper bound of its score, the
// k best by bound.
func (s *search) statement(sel *sql.Selector, matching bool, k int) {
	mp := sql.Table(matchprofile.Table).As("mp")
	sel.LeftJoin(mp).On(sel.C(municipality.FieldID), mp.C(matchprofile.FieldMunicipalityID))
	needsMet := "0"
	if sectors := s.t.sectors(); len(sectors) > 0 {
		agg := s.needsMetTable(sel.Dialect(), sectors).As("nm")
		if matching {
			sel.Join(agg).On(sel.C(municipality.FieldID), agg.C("mid"))
		} else {
			sel.LeftJoin(agg).On(sel.C(municipality.FieldID), agg.C("mid")).Where(sql.IsNull(agg.C("mid")))
		}
		needsMet = "COALESCE(" + agg.C("n") + ", 0)"
	}
	sel.Select(sel.C(municipality.FieldID), sel.C(municipality.FieldName), sel.C(municipality.FieldPopulation),
		sel.C(municipality.FieldCountryID), sel.C(municipality.FieldRegionID))
	sel.AppendSelectAs(mp.C(matchprofile.FieldID), "profile_id")
	sel.AppendSelect(mp.C(matchprofile.FieldWantedPartners), mp.C(matchprofile.FieldLanguageMask))
	sel.AppendSelectExprAs(sql.Expr(needsMet), "n")
	sel.AppendSelectExprAs(sql.Expr(s.bound(sel, mp, needsMet)), "ub")
	sel.OrderExpr(sql.Expr("ub DESC")).OrderBy(sel.C(municipality.FieldID)).Limit(k)
}

// bound writes the upper bound of a candidate's score: the weighted
// factors but the penalties. Its numbers come from the engine and the
// target, never from a caller's text.
func (s *search) bound(sel *sql.Selector, mp *sql.SelectTable, needsMet string) string {
	terms := []string{num(s.w[matchmaking.NeedsMet]) + " * " + needsMet}
	if p := s.t.Population; p > 0 && s.w[matchmaking.Size] != 0 {
		pop := sel.C(municipality.FieldPopulation)
		greatest := "MAX"
		if sel.Dialect() == dialect.Postgres {
			greatest = "GREATEST"
		}
		terms = append(terms, fmt.Sprintf("%s * (CASE WHEN %s > 0 THEN %s(0, 1 - ABS(LN(%s) - %s) / %s) ELSE 0 END)",
			num(s.w[matchmaking.Size]), pop, greatest, pop, num(logf(p)), num(ln10)))
	}
	if s.t.Languages != 0 {
		terms = append(terms, fmt.Sprintf("%s * (CASE WHEN (COALESCE(%s, 0) & %d) <> 0 THEN 1 ELSE 0 END)",
			num(s.w[matchmaking.Language]), mp.C(matchprofile.FieldLanguageMask), s.t.Languages))
	}
	terms = append(terms, s.associationTerm(sel))
	terms = append(terms, fmt.Sprintf("%s * (CASE WHEN %s > 0 THEN 1 WHEN %s IS NOT NULL THEN 0.5 ELSE 0 END)",
		num(s.w[matchmaking.Open]), mp.C(matchprofile.FieldWantedPartners), mp.C(matchprofile.FieldID)))
	return "(" + strings.Join(terms, " + ") + ")"
}

// associationTerm is ASSOCIATION's share of the bound: the EU side's
// country has a national association that can facilitate.
func (s *search) associationTerm(sel *sql.Selector) string {
	w := num(s.w[matchmaking.Association])
	if s.t.Side == matchmaking.European {
		if s.t.LRGA {
			return w
		}
		return "0"
	}
	if len(s.t.lrgaCountries) == 0 {
		return "0"
	}
	return fmt.Sprintf("%s * (CASE WHEN %s IN (%s) THEN 1 ELSE 0 END)", w, sel.C(municipality.FieldCountryID), ints(s.t.lrgaCountries))
}

// needsMetTable is the derived table (mid, n) of NEEDS_MET per candidate
// with a valid record in the target's sectors.
func (s *search) needsMetTable(d string, sectors []sector.Sector) *sql.Selector {
	if s.t.Side == matchmaking.Ukrainian {
		return s.offersMeetingNeeds(d, sectors)
	}
	return s.needsMetByOffers(d, sectors)
}

// offersMeetingNeeds: for a Ukrainian target, each EU candidate's
// capacity factors per needed sector, times the sector's share of the
// target's urgency points, summed.
func (s *search) offersMeetingNeeds(d string, sectors []sector.Sector) *sql.Selector {
	var total float64
	share := map[sector.Sector]float64{}
	for _, n := range s.t.Needs {
		total += matchmaking.UrgencyPoints(n.Urgency)
		share[n.Sector] += matchmaking.UrgencyPoints(n.Urgency)
	}
	var shares []string
	for _, sec := range sectors {
		shares = append(shares, fmt.Sprintf("WHEN '%s' THEN %s", sec, num(share[sec]/total)))
	}
	least := "MIN"
	if d == dialect.Postgres {
		least = "LEAST"
	}
	// One level of aggregation: two offers in one sector add up, which can
	// only raise the bound (capped at 1); the engine's score takes the best.
	o := sql.Dialect(d).Table(offer.Table)
	return sql.Dialect(d).Select().AppendSelectAs(o.C(offer.FieldMunicipalityID), "mid").
		AppendSelectExprAs(sql.Expr(fmt.Sprintf("%s(1, SUM((CASE WHEN %s >= 3 THEN 1.0 WHEN %s = 2 THEN 0.75 ELSE 0.5 END) * (CASE %s %s ELSE 0 END)))",
			least, o.C(offer.FieldCapacity), o.C(offer.FieldCapacity), o.C(offer.FieldSector), strings.Join(shares, " "))), "n").
		From(o).Where(sql.And(sql.In(o.C(offer.FieldSector), anys(sectors)...), validSQL(o, s.q.Now))).
		GroupBy(o.C(offer.FieldMunicipalityID))
}

// needsMetByOffers: for an EU target, each Ukrainian candidate's needs,
// each weighing its urgency points times the target's capacity factor in
// its sector, over the candidate's urgency points; only candidates with a
// need in a sector the target offers.
func (s *search) needsMetByOffers(d string, sectors []sector.Sector) *sql.Selector {
	var factors []string
	for _, sec := range sectors {
		factors = append(factors, fmt.Sprintf("WHEN '%s' THEN %s", sec, num(matchmaking.CapacityFactor(bestCapacity(s.t.Offers, sec)))))
	}
	nd := sql.Dialect(d).Table(need.Table)
	matching := sql.Dialect(d).Table(need.Table).As("mn")
	points := fmt.Sprintf("(CASE %s WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END)", nd.C(need.FieldUrgency))
	return sql.Dialect(d).Select().AppendSelectAs(nd.C(need.FieldMunicipalityID), "mid").
		AppendSelectExprAs(sql.Expr(fmt.Sprintf("SUM(%s * (CASE %s %s ELSE 0 END)) * 1.0 / SUM(%s)",
			points, nd.C(need.FieldSector), strings.Join(factors, " "), points)), "n").
		From(nd).
		Where(sql.And(validSQL(nd, s.q.Now), sql.In(nd.C(need.FieldMunicipalityID),
			sql.Dialect(d).Select(matching.C(need.FieldMunicipalityID)).From(matching).
				Where(sql.And(sql.In(matching.C(need.FieldSector), anys(sectors)...), validSQL(matching, s.q.Now)))))).
		GroupBy(nd.C(need.FieldMunicipalityID))
}

// validSQL matches the records of table t valid at now.
func validSQL(t *sql.SelectTable, now time.Time) *sql.Predicate {
	return sql.And(
		sql.Or(sql.IsNull(t.C(need.FieldValidFrom)), sql.LTE(t.C(need.FieldValidFrom), now)),
		sql.Or(sql.IsNull(t.C(need.FieldValidUntil)), sql.GTE(t.C(need.FieldValidUntil), now)),
	)
}

// score scores the fetched candidates in full (their records, partners
// and ties loaded in a few statements) and merges them into the ranking.
func (s *search) score(ctx context.Context, rows []row) error {
	profiles := map[int]*matchmaking.Profile{}
	var fresh []row
	for _, r := range rows {
		if s.scored[r.ID] {
			continue
		}
		s.scored[r.ID] = true
		fresh = append(fresh, r)
		profiles[r.ID] = s.profile(r)
	}
	if len(fresh) == 0 {
		return nil
	}
	if err := loadRecords(ctx, s.client, profiles, s.q.Now); err != nil {
		return err
	}
	if err := s.loadPartners(ctx, profiles); err != nil {
		return err
	}
	if err := s.loadTies(ctx, fresh, profiles); err != nil {
		return err
	}
	for _, r := range fresh {
		s.ranked = append(s.ranked, matchmaking.Score(s.t.Profile, profiles[r.ID], s.w))
	}
	s.stats.Scored += len(fresh)
	sortSuggestions(s.ranked)
	return nil
}

// profile returns the engine's view of a fetched candidate.
func (s *search) profile(r row) *matchmaking.Profile {
	p := &matchmaking.Profile{ID: r.ID, Name: r.Name, Population: valueOr(r.Population), HasProfile: r.ProfileID != nil,
		Wanted: valueOr(r.Wanted), Languages: valueOr(r.LanguageMask)}
	p.Side = matchmaking.European
	if s.t.Side == matchmaking.European {
		p.Side = matchmaking.Ukrainian
	} else {
		p.LRGA = contains(s.t.lrgaCountries, r.CountryID)
	}
	return p
}

// loadPartners counts the partnerships of the candidates.
func (s *search) loadPartners(ctx context.Context, profiles map[int]*matchmaking.Profile) error {
	field, in := partnership.FieldEuropeanMunicipalityID, partnership.EuropeanMunicipalityIDIn
	if s.t.Side == matchmaking.European {
		field, in = partnership.FieldUkrainianMunicipalityID, partnership.UkrainianMunicipalityIDIn
	}
	var counts []struct {
		ID    int `json:"id"`
		Count int `json:"count"`
	}
	err := s.client.Partnership.Query().Where(in(keys(profiles)...)).
		Modify(func(sel *sql.Selector) {
			sel.Select().AppendSelectAs(sel.C(field), "id").AppendSelectExprAs(sql.Expr("COUNT(*)"), "count").GroupBy(sel.C(field))
		}).Scan(ctx, &counts)
	for _, c := range counts {
		profiles[c.ID].Partners = c.Count
	}
	return err
}

// loadTies marks the candidates whose oblast (Ukrainian side) and country
// (EU side) another partnership already pairs.
func (s *search) loadTies(ctx context.Context, rows []row, profiles map[int]*matchmaking.Profile) error {
	var keysOf func(r row) int
	var paired []int
	var err error
	if s.t.Side == matchmaking.Ukrainian {
		keysOf = func(r row) int { return r.CountryID }
		paired, err = s.pairedWith(ctx, s.t.regionID, uniqueOf(rows, keysOf), true)
	} else {
		keysOf = func(r row) int { return valueOr(r.RegionID) }
		paired, err = s.pairedWith(ctx, s.t.countryID, uniqueOf(rows, keysOf), false)
	}
	for _, r := range rows {
		profiles[r.ID].RegionTied = contains(paired, keysOf(r))
	}
	return err
}

// pairedWith returns which of others are paired with own by a
// partnership: for a Ukrainian target own is its oblast and others EU
// countries, for an EU target own is its country and others oblasts. One
// EXISTS per candidate country or oblast stops at its first partnership.
func (s *search) pairedWith(ctx context.Context, own int, others []int, ukrainian bool) ([]int, error) {
	if own == 0 || len(others) == 0 {
		return nil, nil
	}
	var out []int
	shape := func(sel *sql.Selector) {
		b := sql.Dialect(sel.Dialect())
		p := b.Table(partnership.Table).As("p")
		u := b.Table(municipality.Table).As("u")
		e := b.Table(municipality.Table).As("e")
		sub := b.Select(p.C(partnership.FieldID)).From(p).
			Join(u).On(p.C(partnership.FieldUkrainianMunicipalityID), u.C(municipality.FieldID)).
			Join(e).On(p.C(partnership.FieldEuropeanMunicipalityID), e.C(municipality.FieldID))
		if ukrainian {
			sub.Where(sql.And(sql.EQ(u.C(municipality.FieldRegionID), own), sql.ColumnsEQ(e.C(municipality.FieldCountryID), sel.C(country.FieldID))))
		} else {
			sub.Where(sql.And(sql.EQ(e.C(municipality.FieldCountryID), own), sql.ColumnsEQ(u.C(municipality.FieldRegionID), sel.C(region.FieldID))))
		}
		sel.Where(sql.Exists(sub.Limit(1)))
	}
	if ukrainian {
		return out, s.client.Country.Query().Where(country.IDIn(others...)).Select(country.FieldID).Modify(shape).Scan(ctx, &out)
	}
	return out, s.client.Region.Query().Where(region.IDIn(others...)).Select(region.FieldID).Modify(shape).Scan(ctx, &out)
}

// ln10 and logf keep the bound's logarithms in Go's arithmetic.
var ln10 = math.Ln10

func logf(n int) float64 { return math.Log(float64(n)) }

// sortSuggestions orders suggestions best first.
func sortSuggestions(s []matchmaking.Suggestion) { slices.SortFunc(s, matchmaking.Compare) }

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func ints(ids []int) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.Itoa(id)
	}
	return strings.Join(out, ", ")
}

func anys(sectors []sector.Sector) []any {
	out := make([]any, len(sectors))
	for i, s := range sectors {
		out[i] = string(s)
	}
	return out
}

func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func uniqueOf(rows []row, key func(row) int) []int {
	var out []int
	for _, r := range rows {
		if k := key(r); k != 0 && !contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func bestCapacity(offers []matchmaking.Offer, s sector.Sector) int {
	best := 0
	for _, o := range offers {
		if o.Sector == s {
			best = max(best, o.Capacity)
		}
	}
	return best
}
