package matchsql

import (
	"container/heap"
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/matchprofile"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
)

// Cache answers Suggest from an in-memory index of every candidate's
// profile (its row, valid needs and offers, matchmaking profile, number of
// partners) and of the oblast-country pairs of the partnerships: scoring
// 100,000 compact profiles in Go costs milliseconds, where the SQL path
// costs a hundred or more. The index is as fresh as the database: each
// query reads the version of the matchmaking data (the MatchState row,
// raised in the transaction of every change of a municipality, need,
// offer, profile or partnership); while the index is older, or loading,
// queries take the SQL path (Suggest) and a reload starts in the
// background. Exclusions (partners, declines, open requests), weights and
// the countries' associations are read on every query. It is hand-written
// because it is the Hub's own scoring over its own data.
type Cache struct {
	client *ent.Client
	logger *slog.Logger

	index   atomic.Pointer[index]
	loading sync.Mutex // held while a reload runs
	// retryAfter delays the next reload after a failed one.
	retryAfter atomic.Int64
}

// NewCache returns a Cache over client; it loads its index on first use.
func NewCache(client *ent.Client, logger *slog.Logger) *Cache {
	return &Cache{client: client, logger: logger}
}

// index is the candidates' profiles at one version of the data.
type index struct {
	version int64
	// expires is when a need or offer starts or stops being valid: the
	// index is reloaded then.
	expires  time.Time
	profiles map[int]*candidate
	bySide   [2][]*candidate
	// paired holds the oblast-country pairs of the partnerships.
	paired map[[2]int]bool
	// countries and regions are the ids of the candidates' countries and
	// regions, in the order of their dense numbers.
	countries, regions []int
}

// candidate is a municipality as the index holds it.
type candidate struct {
	matchmaking.Profile
	countryID, regionID int
	// country and region number the candidate's country and region densely
	// (index.countries, index.regions), for array lookups in the scan.
	country, region int
	closed          bool
}

// Suggest returns the best q.N candidates of q.MunicipalityID, best first,
// exactly as the package's Suggest does.
func (c *Cache) Suggest(ctx context.Context, q Query) ([]matchmaking.Suggestion, Stats, error) {
	ctx = authz.SystemContext(ctx)
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	version, err := c.version(ctx)
	if err != nil {
		return nil, Stats{}, err
	}
	idx := c.index.Load()
	if idx == nil || idx.version != version || !q.Now.Before(idx.expires) {
		c.reload(version)
		return Suggest(ctx, c.client, q)
	}
	return idx.suggest(ctx, c.client, q)
}

// version returns the version of the matchmaking data.
func (c *Cache) version(ctx context.Context) (int64, error) {
	st, err := c.client.MatchState.Query().First(ctx)
	if err != nil {
		return 0, err
	}
	return st.Version, nil
}

// reload loads the index of version in the background, unless a reload
// runs already or a failed one asked to wait.
func (c *Cache) reload(version int64) {
	if time.Now().UnixNano() < c.retryAfter.Load() || !c.loading.TryLock() {
		return
	}
	go func() {
		defer c.loading.Unlock()
		if idx := c.index.Load(); idx != nil && idx.version >= version && time.Now().Before(idx.expires) {
			return
		}
		started := time.Now()
		idx, err := loadIndex(authz.SystemContext(context.Background()), c.client, version)
		if err != nil {
			c.logger.Warn("loading the matchmaking index", "err", err)
			c.retryAfter.Store(time.Now().Add(10 * time.Second).UnixNano())
			return
		}
		c.index.Store(idx)
		c.logger.Debug("matchmaking index loaded", "version", version, "municipalities", len(idx.profiles),
			"took", time.Since(started).Round(time.Millisecond))
	}()
}

// Loaded waits until the index of the current version is loaded or ctx
// ends, loading it if needed (for benchmarks and tests).
func (c *Cache) Loaded(ctx context.Context) error {
	for {
		version, err := c.version(authz.SystemContext(ctx))
		if err != nil {
			return err
		}
		if idx := c.index.Load(); idx != nil && idx.version == version {
			return nil
		}
		c.reload(version)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// indexRow is a municipality's row in the index's load.
type indexRow struct {
	ID         int    `json:"id"`
	Name       string `json:"name"`
	Population *int   `json:"population"`
	CountryID  int    `json:"country_id"`
	RegionID   *int   `json:"region_id"`
}

// loadIndex reads the profiles of every municipality of both sides. The
// data may be newer than version, never older: an index tagged with an
// older version than the data's is simply not used.
func loadIndex(ctx context.Context, client *ent.Client, version int64) (*index, error) {
	now := time.Now()
	ua, err := client.Country.Query().Where(country.Code("UA")).IDs(ctx)
	if err != nil {
		return nil, err
	}
	eu, err := client.Country.Query().Where(country.EuMember(true)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	var rows []indexRow
	err = client.Municipality.Query().Where(municipality.CountryIDIn(append(ua, eu...)...)).
		Modify(func(s *sql.Selector) {
			s.Select(s.C(municipality.FieldID), s.C(municipality.FieldName), s.C(municipality.FieldPopulation),
				s.C(municipality.FieldCountryID), s.C(municipality.FieldRegionID))
		}).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	idx := &index{version: version, expires: now.Add(24 * time.Hour), profiles: make(map[int]*candidate, len(rows))}
	all := make([]candidate, len(rows)) // one block: the scan reads them in order
	countries, regions := map[int]int{}, map[int]int{}
	for i, r := range rows {
		c := &all[i]
		*c = candidate{Profile: matchmaking.Profile{ID: r.ID, Name: r.Name, Population: valueOr(r.Population)},
			countryID: r.CountryID, regionID: valueOr(r.RegionID)}
		c.country, idx.countries = dense(countries, idx.countries, c.countryID)
		c.region, idx.regions = dense(regions, idx.regions, c.regionID)
		if slices.Contains(eu, r.CountryID) {
			c.Side = matchmaking.European
		}
		idx.profiles[r.ID] = c
		idx.bySide[c.Side] = append(idx.bySide[c.Side], c)
	}
	if err := idx.loadRecords(ctx, client, now); err != nil {
		return nil, err
	}
	if err := idx.loadProfiles(ctx, client); err != nil {
		return nil, err
	}
	return idx, idx.loadPartnerships(ctx, client)
}

// loadPartnerships counts each municipality's partnerships and notes the
// oblast-country pairs they make.
func (idx *index) loadPartnerships(ctx context.Context, client *ent.Client) error {
	var pairs []struct {
		UA int `json:"ukrainian_municipality_id"`
		EU int `json:"european_municipality_id"`
	}
	err := client.Partnership.Query().
		Select(partnership.FieldUkrainianMunicipalityID, partnership.FieldEuropeanMunicipalityID).Scan(ctx, &pairs)
	idx.paired = map[[2]int]bool{}
	for _, p := range pairs {
		ua, eu := idx.profiles[p.UA], idx.profiles[p.EU]
		if ua == nil || eu == nil {
			continue
		}
		ua.Partners++
		eu.Partners++
		idx.paired[[2]int{ua.regionID, eu.countryID}] = true
	}
	return err
}

// dense returns the dense number of id, numbering it next if it has none.
func dense(numbers map[int]int, ids []int, id int) (int, []int) {
	n, ok := numbers[id]
	if !ok {
		n, numbers[id] = len(ids), len(ids)
		ids = append(ids, id)
	}
	return n, ids
}

// loadRecords adds the needs and offers valid now and notes when the
// next one starts or stops being valid.
func (idx *index) loadRecords(ctx context.Context, client *ent.Client, now time.Time) error {
	needs, err := client.Need.Query().Order(ent.Asc("id")).All(ctx)
	if err != nil {
		return err
	}
	for _, n := range needs {
		if p := idx.profiles[n.MunicipalityID]; p != nil && idx.valid(n.ValidFrom, n.ValidUntil, now) {
			p.Needs = append(p.Needs, matchmaking.Need{Sector: n.Sector, Urgency: n.Urgency})
		}
	}
	offers, err := client.Offer.Query().Order(ent.Asc("id")).All(ctx)
	if err != nil {
		return err
	}
	for _, o := range offers {
		if p := idx.profiles[o.MunicipalityID]; p != nil && idx.valid(o.ValidFrom, o.ValidUntil, now) {
			p.Offers = append(p.Offers, matchmaking.Offer{Sector: o.Sector, Capacity: o.Capacity})
		}
	}
	return nil
}

// valid reports whether a record with these dates is valid at now, and
// moves the index's expiry to its next change.
func (idx *index) valid(from, until *time.Time, now time.Time) bool {
	for _, t := range []*time.Time{from, until} {
		if t != nil && t.After(now) && t.Before(idx.expires) {
			idx.expires = *t
		}
	}
	return (from == nil || !from.After(now)) && (until == nil || !until.Before(now))
}

// loadProfiles adds the matchmaking profiles.
func (idx *index) loadProfiles(ctx context.Context, client *ent.Client) error {
	profiles, err := client.MatchProfile.Query().
		Select(matchprofile.FieldMunicipalityID, matchprofile.FieldOpen, matchprofile.FieldWantedPartners, matchprofile.FieldLanguageMask).
		All(ctx)
	for _, mp := range profiles {
		if p := idx.profiles[mp.MunicipalityID]; p != nil {
			p.HasProfile, p.closed, p.Wanted, p.Languages = true, !mp.Open, valueOr(mp.WantedPartners), mp.LanguageMask
		}
	}
	return err
}

// suggest scores every candidate of the other side and explains the best.
func (idx *index) suggest(ctx context.Context, client *ent.Client, q Query) ([]matchmaking.Suggestion, Stats, error) {
	w := q.Weights
	if w == nil {
		var err error
		if w, err = Weights(ctx, client); err != nil {
			return nil, Stats{}, err
		}
	}
	self := idx.profiles[q.MunicipalityID]
	if self == nil {
		if _, err := client.Municipality.Get(ctx, q.MunicipalityID); err != nil {
			return nil, Stats{}, err
		}
		return nil, Stats{}, ErrNotInProgramme
	}
	t, err := idx.target(ctx, client, self)
	if err != nil {
		return nil, Stats{}, err
	}
	s := &search{t: t, q: q, w: w}
	n := max(q.N, 1)
	var out []matchmaking.Suggestion
	for _, b := range idx.best(s, n+len(t.excluded)) {
		if len(out) < n && !contains(t.excluded, b.id) {
			out = append(out, matchmaking.Score(t.Profile, idx.relative(s, idx.profiles[b.id]), w))
		}
	}
	return out, Stats{Scored: len(out), Indexed: true}, nil
}

// target returns the search's target from the index, with what is read
// fresh: the other side's countries, the countries with a national
// association, the exclusions.
func (idx *index) target(ctx context.Context, client *ent.Client, self *candidate) (*target, error) {
	p := self.Profile
	t := &target{Profile: &p, countryID: self.countryID, regionID: self.regionID}
	var err error
	if t.Side == matchmaking.Ukrainian {
		t.sideCountries, err = client.Country.Query().Where(country.EuMember(true)).IDs(ctx)
	} else {
		t.sideCountries, err = client.Country.Query().Where(country.Code("UA")).IDs(ctx)
	}
	if err != nil {
		return nil, err
	}
	if t.lrgaCountries, err = lrgaCountries(ctx, client); err != nil {
		return nil, err
	}
	t.LRGA = contains(t.lrgaCountries, t.countryID)
	t.excluded, err = excluded(ctx, client, p.ID)
	return t, err
}

// scored is a candidate's id with its score.
type scored struct {
	id    int
	score float64
}

// best scores every candidate that may be suggested, excluded ones too
// (the caller drops them), and returns the k best, best first. Set lookups
// are arrays by the dense numbers of countries and regions; only the k
// best are kept while scanning.
func (idx *index) best(s *search, k int) []scored {
	other := matchmaking.European
	if s.t.Side == matchmaking.European {
		other = matchmaking.Ukrainian
	}
	countries, lrga := idx.countryFlags(s.t.sideCountries), idx.countryFlags(s.t.lrgaCountries)
	tiedCountry, tiedRegion := make([]bool, len(idx.countries)), make([]bool, len(idx.regions))
	for i, id := range idx.countries {
		tiedCountry[i] = idx.paired[[2]int{s.t.regionID, id}]
	}
	for i, id := range idx.regions {
		tiedRegion[i] = idx.paired[[2]int{id, s.t.countryID}]
	}
	filtered := len(s.q.CountryIDs) > 0 || len(s.q.Sectors) > 0
	w := s.w.Array()
	h := make(minHeap, 0, k)
	for _, c := range idx.bySide[other] {
		if c.closed || !countries[c.country] || (filtered && !s.wanted(c)) {
			continue
		}
		tied := tiedRegion[c.region]
		if other == matchmaking.European {
			tied = tiedCountry[c.country]
		}
		h.offer(scored{id: c.ID, score: matchmaking.TotalRelative(s.t.Profile, &c.Profile, lrga[c.country], tied, &w)}, k)
	}
	return h.sorted()
}

// countryFlags marks the countries ids by their dense numbers.
func (idx *index) countryFlags(ids []int) []bool {
	out := make([]bool, len(idx.countries))
	for i, id := range idx.countries {
		out[i] = contains(ids, id)
	}
	return out
}

// tied reports whether c and the target's oblast and country are paired.
func (idx *index) tied(t *target, c *candidate) bool {
	if c.Side == matchmaking.European {
		return idx.paired[[2]int{t.regionID, c.countryID}]
	}
	return idx.paired[[2]int{c.regionID, t.countryID}]
}

// relative returns a copy of c's profile with what depends on the target:
// its country's association (EU candidates) and the oblast-country tie.
func (idx *index) relative(s *search, c *candidate) *matchmaking.Profile {
	p := c.Profile
	p.LRGA = c.Side == matchmaking.European && contains(s.t.lrgaCountries, c.countryID)
	p.RegionTied = idx.tied(s.t, c)
	return &p
}

// wanted applies the query's filters to a candidate.
func (s *search) wanted(c *candidate) bool {
	if len(s.q.CountryIDs) > 0 && !contains(s.q.CountryIDs, c.countryID) {
		return false
	}
	if len(s.q.Sectors) == 0 {
		return true
	}
	for _, n := range c.Needs {
		if contains(s.q.Sectors, n.Sector) {
			return true
		}
	}
	for _, o := range c.Offers {
		if contains(s.q.Sectors, o.Sector) {
			return true
		}
	}
	return false
}

// offer keeps b if it is among the k best seen.
func (h *minHeap) offer(b scored, k int) {
	switch {
	case h.Len() < k:
		heap.Push(h, b)
	case k > 0 && better(b, (*h)[0]):
		(*h)[0] = b
		heap.Fix(h, 0)
	}
}

// sorted returns the kept scores, best first.
func (h minHeap) sorted() []scored {
	out := []scored(h)
	slices.SortFunc(out, func(a, b scored) int {
		if better(a, b) {
			return -1
		}
		return 1
	})
	return out
}

// better orders scores: higher first, then smaller id.
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

// minHeap keeps the worst of the best k on top.
type minHeap []scored

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
