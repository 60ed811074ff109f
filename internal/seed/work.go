package seed

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// projectPlan is a synthetic joint project proposal.
type projectPlan struct {
	pair    importer.PairKey
	lead    importer.MunicipalityKey
	title   string
	summary i18n.Texts
	sector  sector.Sector
	status  project.Status
	budget  *float64
	funders []string
}

// activityPlan is a synthetic activity.
type activityPlan struct {
	title        string
	kind         activity.Kind
	start        time.Time
	end          *time.Time
	place        string
	online       bool
	participants int
	organiser    string
	pairs        []importer.PairKey
}

// planProjects invents project proposals of random partnerships.
func (g *planner) planProjects() {
	for range g.opts.Projects {
		ps := g.p.partnerships[g.rng.IntN(len(g.p.partnerships))]
		lead, partner := ps.Ukrainian, ps.European
		if g.rng.IntN(10) >= 7 {
			lead, partner = partner, lead
		}
		sec := projectSectors.pick(g.rng)
		what := pick(g.rng, projectTitles(sec))
		pp := projectPlan{
			pair: ps.Key(), lead: lead, sector: sec, status: projectStatuses.pick(g.rng),
			title: fmt.Sprintf("%s in %s", what, ps.Ukrainian.Name),
			summary: i18n.Texts{i18n.English: fmt.Sprintf("Joint proposal of %s (%s) and %s (%s): %s.",
				lead.Name, lead.Country, partner.Name, partner.Country, strings.ToLower(what))},
		}
		if pp.status != project.StatusCONCEPT || g.rng.IntN(2) == 0 {
			budget := math.Round(logUniform(g.rng, 20000, 5000000)/1000) * 1000
			pp.budget = &budget
		}
		funded := pp.status == project.StatusFUNDED || pp.status == project.StatusIN_PROGRESS || pp.status == project.StatusCOMPLETED
		if funded && g.rng.IntN(10) < 6 && g.known["U-LEAD"] {
			pp.funders = []string{"U-LEAD"}
		}
		g.p.projects = append(g.p.projects, pp)
	}
}

// planActivities invents missions, visits and meetings of random
// partnerships, and trainings, forums and conferences of the programme.
func (g *planner) planActivities() {
	for range g.opts.Activities {
		kind := activityKinds.pick(g.rng)
		var ap activityPlan
		switch kind {
		case activity.KindEXPERT_MISSION, activity.KindSTUDY_VISIT, activity.KindONLINE_MEETING:
			ap = g.partnershipActivity(kind)
		default:
			ap = g.programmeActivity(kind)
		}
		ap.kind = kind
		g.p.activities = append(g.p.activities, ap)
	}
}

// partnershipActivity invents a mission, visit or meeting of a partnership.
func (g *planner) partnershipActivity(kind activity.Kind) activityPlan {
	ps := g.p.partnerships[g.rng.IntN(len(g.p.partnerships))]
	ua, eu := ps.Ukrainian.Name, ps.European.Name
	ap := activityPlan{
		start: g.day(*ps.Start, ps.Start.AddDate(1, 0, 0)), participants: 3 + g.rng.IntN(30),
		organiser: g.organiser(ps.European.Country), pairs: []importer.PairKey{ps.Key()},
	}
	switch kind {
	case activity.KindEXPERT_MISSION:
		ap.title, ap.place = fmt.Sprintf("Expert mission from %s to %s", eu, ua), ua
	case activity.KindSTUDY_VISIT:
		ap.title, ap.place = fmt.Sprintf("Study visit of %s to %s", ua, eu), eu
	default:
		ap.title, ap.online = fmt.Sprintf("Online meeting of %s and %s", ua, eu), true
		return ap
	}
	end := ap.start.AddDate(0, 0, 1+g.rng.IntN(4))
	ap.end = &end
	return ap
}

// programmeActivity invents a training, info session, forum or conference,
// linked to up to three random partnerships.
func (g *planner) programmeActivity(kind activity.Kind) activityPlan {
	host := pick(g.rng, g.eu)
	theme := pick(g.rng, themes)
	ap := activityPlan{
		start:     g.day(*date(2021, 6, 1), *date(2026, 6, 30)),
		organiser: g.organiser(host.Country), participants: 10 + g.rng.IntN(300),
		online: g.rng.IntN(2) == 0,
	}
	switch kind {
	case activity.KindTRAINING:
		ap.title = fmt.Sprintf("Training on %s for municipal staff", theme)
	case activity.KindINFO_SESSION:
		ap.title = fmt.Sprintf("Info session on %s", theme)
	case activity.KindSOLIDARITY_FORUM:
		country, _, _ := importer.CountryName(host.Country)
		ap.title = fmt.Sprintf("Solidarity Forum of the municipalities of %s and Ukraine", country)
	default:
		ap.title = fmt.Sprintf("Bridges of Trust gathering %d on %s", ap.start.Year(), theme)
	}
	if !ap.online {
		ap.place = host.Name
	}
	for range g.rng.IntN(4) {
		ap.pairs = append(ap.pairs, g.p.partnerships[g.rng.IntN(len(g.p.partnerships))].Key())
	}
	return ap
}

// organiser is the national association of the country, or CEMR.
func (g *planner) organiser(country string) string {
	if acronym, ok := g.lrgas[country]; ok {
		return acronym
	}
	return "CEMR"
}

// themes are the themes of cooperation synthetic partnerships choose
// from, in the words of the programme's partnerships.
var themes = []string{
	"water and sanitation", "renewable energy", "energy efficiency", "waste management", "circular economy",
	"healthcare", "education", "youth", "culture", "tourism", "social services", "housing reconstruction",
	"public infrastructure", "digital services", "municipal machinery", "civil protection",
	"local economic development", "sustainable development",
}

// phaseWeights weigh the phases of synthetic partnerships; other phases
// weigh 1.
var phaseWeights = map[string]int{"pilot": 4, "recovery": 24, "community-hub": 69}

var statusWeights = map[string]weighted[partnership.Status]{
	"pilot":         {{partnership.StatusCONCLUDED, 60}, {partnership.StatusACTIVE, 40}},
	"recovery":      {{partnership.StatusACTIVE, 55}, {partnership.StatusCONCLUDED, 35}, {partnership.StatusSUSPENDED, 10}},
	"community-hub": {{partnership.StatusACTIVE, 60}, {partnership.StatusPROPOSED, 35}, {partnership.StatusSUSPENDED, 5}},
}

var needWeights = weighted[sector.Sector]{
	{sector.Water, 5}, {sector.Energy, 5}, {sector.Health, 4}, {sector.Waste, 3}, {sector.Housing, 3},
	{sector.Infrastructure, 3}, {sector.Education, 2}, {sector.SocialServices, 2}, {sector.Transport, 1},
	{sector.Digital, 1}, {sector.Governance, 1}, {sector.Economy, 1},
}

var offerWeights = weighted[sector.Sector]{
	{sector.Water, 2}, {sector.Energy, 2}, {sector.Health, 1}, {sector.Waste, 2}, {sector.Education, 2},
	{sector.Culture, 2}, {sector.Tourism, 2}, {sector.Youth, 2}, {sector.Governance, 2}, {sector.Digital, 2},
	{sector.Environment, 2}, {sector.SocialServices, 1}, {sector.Transport, 1}, {sector.Economy, 1},
}

var projectSectors = weighted[sector.Sector]{
	{sector.Water, 20}, {sector.Energy, 20}, {sector.Health, 12}, {sector.Waste, 12}, {sector.Education, 8},
	{sector.Housing, 6}, {sector.Infrastructure, 6}, {sector.SocialServices, 4}, {sector.Transport, 3},
	{sector.Digital, 3}, {sector.Environment, 2}, {sector.Governance, 1}, {sector.Economy, 1},
	{sector.Culture, 1}, {sector.Youth, 1}, {sector.Tourism, 1},
}

var projectStatuses = weighted[project.Status]{
	{project.StatusCONCEPT, 35}, {project.StatusSUBMITTED, 25}, {project.StatusFUNDED, 15},
	{project.StatusIN_PROGRESS, 12}, {project.StatusCOMPLETED, 8}, {project.StatusREJECTED, 5},
}

var activityKinds = weighted[activity.Kind]{
	{activity.KindEXPERT_MISSION, 30}, {activity.KindSTUDY_VISIT, 20}, {activity.KindONLINE_MEETING, 20},
	{activity.KindTRAINING, 12}, {activity.KindINFO_SESSION, 8}, {activity.KindSOLIDARITY_FORUM, 5},
	{activity.KindCONFERENCE, 3}, {activity.KindFORUM, 2},
}

// projectTitles returns what projects of a sector are typically about.
func projectTitles(s sector.Sector) []string {
	switch s {
	case sector.Water:
		return []string{"Water treatment plant modernisation", "Drinking water network renewal", "Sewage treatment upgrade"}
	case sector.Energy:
		return []string{"Solar panels on public buildings", "Thermal modernisation of schools", "Heat pumps for the district heating"}
	case sector.Health:
		return []string{"Hospital reconstruction", "Primary care centre equipment", "Rehabilitation centre for veterans"}
	case sector.Waste:
		return []string{"Separate waste collection", "Waste sorting station", "Composting site"}
	case sector.Education:
		return []string{"School shelter and renovation", "Kindergarten reconstruction"}
	case sector.Housing:
		return []string{"Housing for internally displaced people", "Reconstruction of damaged apartment blocks"}
	}
	return []string{strings.ToUpper(string(s[:1])) + strings.ToLower(strings.ReplaceAll(string(s[1:]), "_", " ")) + " cooperation project"}
}
