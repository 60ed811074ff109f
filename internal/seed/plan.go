package seed

import (
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// pcgStream is the second word of the PCG seed; the first is the user's.
const pcgStream = 0x426f54 // "BoT"

// plan is a synthetic data set, generated in memory before anything is
// written so that it depends only on the options, never on the store.
type plan struct {
	logger         *slog.Logger
	seed           uint64
	regions        []importer.RegionSpec
	municipalities []importer.MunicipalitySpec
	partnerships   []importer.PartnershipSpec
	projects       []projectPlan
	activities     []activityPlan
	forum          forumPlan
}

// planner generates a plan from one random source, in a fixed order.
type planner struct {
	rng     *rand.Rand
	opts    SyntheticOptions
	lrgas   map[string]string // country code -> national association
	known   map[string]bool   // acronyms of the reference associations
	phases  []importer.PhaseSpec
	names   uniqueNames
	centres map[importer.RegionKey][2]float64
	byEU    map[string][]importer.RegionSpec
	ua, eu  []importer.MunicipalitySpec
	p       *plan
}

// newPlan generates the synthetic data set the options describe.
func newPlan(opts SyntheticOptions, lrgas map[string]string) (*plan, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	phases, err := phaseSpecs()
	if err != nil {
		return nil, err
	}
	g := &planner{
		rng: rand.New(rand.NewPCG(opts.Seed, pcgStream)), opts: opts, lrgas: lrgas, known: map[string]bool{},
		phases: append(phases, hubPhase), names: uniqueNames{},
		centres: map[importer.RegionKey][2]float64{}, byEU: map[string][]importer.RegionSpec{},
		p: &plan{logger: opts.Logger, seed: opts.Seed},
	}
	for _, acronym := range lrgas {
		g.known[acronym] = true
	}
	specs, err := associationSpecs()
	if err != nil {
		return nil, err
	}
	for _, s := range specs {
		g.known[s.Acronym] = true
	}
	g.planRegions()
	g.planMunicipalities()
	g.planPartnerships()
	g.planProjects()
	g.planActivities()
	g.p.forum = newForumPlan(opts)
	return g.p, nil
}

// planRegions invents the first-level regions of every EU country.
func (g *planner) planRegions() {
	for _, c := range euCountries {
		for range c.regions {
			name := g.names.next(g.rng, "region/"+c.code, c.style)
			s := importer.RegionSpec{Country: c.code, Name: name, Kind: c.regionKind}
			g.centres[s.Key()] = [2]float64{c.lat + g.jitter(c.spread), c.lon + g.jitter(c.spread*1.5)}
			g.byEU[c.code] = append(g.byEU[c.code], s)
			g.p.regions = append(g.p.regions, s)
		}
	}
}

// planMunicipalities invents the hromadas in the oblasts and the EU
// municipalities across the EU countries' regions.
func (g *planner) planMunicipalities() {
	nUA, nEU := splitMunicipalities(g.opts.Municipalities)
	oblastNames := make([]string, 0, len(oblastCentres))
	for name := range oblastCentres {
		oblastNames = append(oblastNames, name)
	}
	slices.Sort(oblastNames)
	for range nUA {
		oblast := pick(g.rng, oblastNames)
		s := g.municipality(importer.Ukraine, oblast, ukrainianStyle, oblastCentres[oblast], 0.7)
		s.Kind, s.Needs = municipality.KindHROMADA, g.sectors(needWeights)
		g.ua = append(g.ua, s)
	}
	countries := weighted[euCountry]{}
	for _, c := range euCountries {
		countries = append(countries, choice[euCountry]{c, c.weight})
	}
	for range nEU {
		c := countries.pick(g.rng)
		r := pick(g.rng, g.byEU[c.code])
		s := g.municipality(c.code, r.Name, c.style, g.centres[r.Key()], c.spread*0.3)
		s.Kind, s.Offers = euKind(*s.Population), g.sectors(offerWeights)
		g.eu = append(g.eu, s)
	}
	g.p.municipalities = append(append(g.p.municipalities, g.ua...), g.eu...)
}

// municipality invents a municipality of a region around its centre.
func (g *planner) municipality(country, region string, style nameStyle, centre [2]float64, spread float64) importer.MunicipalitySpec {
	lat, lon := round4(centre[0]+g.jitter(spread)), round4(centre[1]+g.jitter(spread*1.5))
	population := int(math.Round(logUniform(g.rng, 1500, 250000)/10) * 10)
	return importer.MunicipalitySpec{
		Country: country, Region: region, Name: g.names.next(g.rng, country, style),
		Latitude: &lat, Longitude: &lon, Population: &population,
	}
}

func euKind(population int) municipality.Kind {
	switch {
	case population >= 100000:
		return municipality.KindCITY
	case population >= 20000:
		return municipality.KindTOWN
	case population < 3000:
		return municipality.KindVILLAGE
	}
	return municipality.KindMUNICIPALITY
}

// planPartnerships pairs random hromadas with random EU municipalities,
// each pair at most once.
func (g *planner) planPartnerships() {
	pairs := make(map[[2]int]bool, g.opts.Partnerships)
	phases := weighted[importer.PhaseSpec]{}
	for _, ph := range g.phases {
		phases = append(phases, choice[importer.PhaseSpec]{ph, phaseWeights[ph.Name] + 1})
	}
	for len(g.p.partnerships) < g.opts.Partnerships {
		pair := [2]int{g.rng.IntN(len(g.ua)), g.rng.IntN(len(g.eu))}
		if pairs[pair] {
			continue
		}
		pairs[pair] = true
		g.p.partnerships = append(g.p.partnerships, g.partnership(g.ua[pair[0]], g.eu[pair[1]], phases.pick(g.rng)))
	}
}

// partnership invents the details of a partnership in phase ph.
func (g *planner) partnership(ua, eu importer.MunicipalitySpec, ph importer.PhaseSpec) importer.PartnershipSpec {
	status := partnership.StatusACTIVE
	if ws, ok := statusWeights[ph.Name]; ok {
		status = ws.pick(g.rng)
	}
	start := g.day(*ph.Start, g.phaseEnd(ph).AddDate(0, -2, 0))
	var end *time.Time
	if status == partnership.StatusCONCLUDED {
		t := start.AddDate(0, 0, 180+g.rng.IntN(540))
		end = &t
	}
	themes := g.themes()
	var facilitators []string
	if acronym, ok := g.lrgas[eu.Country]; ok {
		facilitators = append(facilitators, acronym)
	}
	if g.rng.IntN(4) == 0 && g.known["AUC"] {
		facilitators = append(facilitators, "AUC")
	}
	return importer.PartnershipSpec{
		Ukrainian: ua.Key(), European: eu.Key(), Phase: ph.Name, Status: status,
		Start: &start, End: end, Themes: &themes, Facilitators: facilitators,
	}
}

// phaseEnd is the end of a phase, or the synthetic horizon for a phase
// without one.
func (g *planner) phaseEnd(ph importer.PhaseSpec) time.Time {
	if ph.End != nil {
		return *ph.End
	}
	return time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
}

// themes picks one to four distinct themes.
func (g *planner) themes() []string {
	n := 1 + g.rng.IntN(4)
	out := make([]string, 0, n)
	for _, i := range g.rng.Perm(len(themes))[:n] {
		out = append(out, themes[i])
	}
	return out
}

// sectors picks one to three distinct sectors by weight.
func (g *planner) sectors(ws weighted[sector.Sector]) []sector.Sector {
	n := 1 + g.rng.IntN(3)
	var out []sector.Sector
	for len(out) < n {
		if s := ws.pick(g.rng); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// day picks a day between from and to (inclusive).
func (g *planner) day(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, g.rng.IntN(max(1, days+1)))
}

// jitter returns a uniform offset in [-spread, spread].
func (g *planner) jitter(spread float64) float64 { return (g.rng.Float64()*2 - 1) * spread }

func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// choice is a value with a weight.
type choice[T any] struct {
	v T
	w int
}

// weighted picks values in proportion to their weights.
type weighted[T any] []choice[T]

// pick picks a value.
func (ws weighted[T]) pick(rng *rand.Rand) T {
	total := 0
	for _, c := range ws {
		total += c.w
	}
	n := rng.IntN(total)
	for _, c := range ws {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	panic(fmt.Sprintf("weighted pick out of range: %d of %d", n, total))
}
