package analytics

import (
	"cmp"
	"context"
	"github.com/bridgesoftrust/hub/internal/events"
	"slices"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/ent/region"
	"github.com/bridgesoftrust/hub/internal/apierr"
)

// Names of the figures, as programmeFigures names its fields and
// Phase.published_figures keys the published numbers.
const (
	FigurePartnerships          = "partnerships"
	FigureActivePartnerships    = "activePartnerships"
	FigureEUCountries           = "euCountries"
	FigureUkrainianOblasts      = "ukrainianOblasts"
	FigureExpertMissions        = "expertMissions"
	FigureStudyVisits           = "studyVisits"
	FigureJointProjectProposals = "jointProjectProposals"
	FigureSolidarityForums      = "solidarityForums"
	FigurePeopleTrained         = "peopleTrained"
)

// additive are the figures whose published numbers add up over phases;
// the others (distinct countries, oblasts) have no published total.
var additive = map[string]bool{
	FigurePartnerships: true, FigureExpertMissions: true, FigureStudyVisits: true,
	FigureJointProjectProposals: true, FigureSolidarityForums: true, FigurePeopleTrained: true,
}

// Figure is a live figure computed from the records the viewer may list,
// beside the number the programme published, if one is recorded.
type Figure struct {
	Live      int
	Published *int
}

// StatusCount is the number of projects in a status.
type StatusCount struct {
	Status project.Status
	Count  int
}

// Proposals are the joint project proposals of a phase, in all and by
// status.
type Proposals struct {
	Live      int
	Published *int
	ByStatus  []*StatusCount
}

// Figures are the programme's key figures for a phase (or all phases).
type Figures struct {
	// Phase is the phase's name; nil for all phases.
	Phase *string
	// PhaseID is the phase's id; nil for all phases.
	PhaseID               *int
	Partnerships          Figure
	ActivePartnerships    Figure
	EUCountries           Figure
	UkrainianOblasts      Figure
	ExpertMissions        Figure
	StudyVisits           Figure
	SolidarityForums      Figure
	PeopleTrained         Figure
	JointProjectProposals Proposals
}

// ProgrammeFigures computes the figures of the phase named phaseName (all
// phases when nil) from the records the viewer in ctx may list, each with
// the published number: a phase's own, or for all phases the sum of the
// phases' numbers where such a sum means something.
func ProgrammeFigures(ctx context.Context, client *ent.Client, phaseName *string) (*Figures, error) {
	ph, err := findPhase(ctx, client, phaseName)
	if err != nil {
		return nil, err
	}
	published, err := publishedFigures(ctx, client, ph)
	if err != nil {
		return nil, err
	}
	s := scope{client: client, phase: ph}
	f := &Figures{Phase: phaseName}
	if ph != nil {
		f.PhaseID = &ph.ID
	}
	counts := []struct {
		name string
		into *Figure
		run  func(context.Context) (int, error)
	}{
		{FigurePartnerships, &f.Partnerships, client.Partnership.Query().Where(s.partnerships()...).Count},
		{FigureActivePartnerships, &f.ActivePartnerships, client.Partnership.Query().Where(s.partnerships()...).
			Where(partnership.StatusEQ(partnership.StatusACTIVE)).Count},
		{FigureEUCountries, &f.EUCountries, client.Country.Query().Where(country.HasMunicipalitiesWith(
			municipality.HasEuPartnershipsWith(s.partnerships()...))).Count},
		{FigureUkrainianOblasts, &f.UkrainianOblasts, client.Region.Query().Where(region.HasMunicipalitiesWith(
			municipality.HasUaPartnershipsWith(s.partnerships()...))).Count},
		{FigureExpertMissions, &f.ExpertMissions, s.activities(activity.KindEXPERT_MISSION).Count},
		{FigureStudyVisits, &f.StudyVisits, s.activities(activity.KindSTUDY_VISIT).Count},
		{FigureSolidarityForums, &f.SolidarityForums, s.activities(activity.KindSOLIDARITY_FORUM).Count},
		{FigurePeopleTrained, &f.PeopleTrained, func(ctx context.Context) (int, error) { return PeopleTrained(ctx, client, ph) }},
	}
	for _, c := range counts {
		n, err := c.run(ctx)
		if err != nil {
			return nil, err
		}
		*c.into = Figure{Live: n, Published: published[c.name]}
	}
	f.JointProjectProposals, err = s.proposals(ctx)
	f.JointProjectProposals.Published = published[FigureJointProjectProposals]
	return f, err
}

// PeopleTrained is the number of people the programme trained in a phase
// (all phases when ph is nil): each person who attended a TRAINING event
// (internal/events) counted once, however many trainings they attended.
func PeopleTrained(ctx context.Context, client *ent.Client, ph *ent.Phase) (int, error) {
	var phaseID *int
	if ph != nil {
		phaseID = &ph.ID
	}
	trained, err := events.PeopleTrained(ctx, client, phaseID)
	return trained.Total, err
}

// findPhase returns the phase named name, or nil for all phases.
func findPhase(ctx context.Context, client *ent.Client, name *string) (*ent.Phase, error) {
	if name == nil {
		return nil, nil
	}
	ph, err := client.Phase.Query().Where(phase.Name(*name)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apierr.Input("phase", "there is no phase named %q", *name)
	}
	return ph, err
}

// publishedFigures returns the published numbers of ph, or for all phases
// (ph nil) the sums of the additive ones.
func publishedFigures(ctx context.Context, client *ent.Client, ph *ent.Phase) (map[string]*int, error) {
	out := map[string]*int{}
	if ph != nil {
		for k, v := range ph.PublishedFigures {
			out[k] = &v
		}
		return out, nil
	}
	all, err := client.Phase.Query().Select(phase.FieldPublishedFigures).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range all {
		for k, v := range p.PublishedFigures {
			if !additive[k] {
				continue
			}
			sum := v
			if prev := out[k]; prev != nil {
				sum += *prev
			}
			out[k] = &sum
		}
	}
	return out, nil
}

// scope selects the records of a phase, or of all phases.
type scope struct {
	client *ent.Client
	phase  *ent.Phase
}

// partnerships returns the predicates of the phase's partnerships.
func (s scope) partnerships() []predicate.Partnership {
	if s.phase == nil {
		return nil
	}
	return []predicate.Partnership{partnership.PhaseID(s.phase.ID)}
}

// activities queries the activities of a kind in the phase: those that
// name a partnership of the phase, and those that name none and began
// within the phase's dates.
func (s scope) activities(kind activity.Kind) *ent.ActivityQuery {
	q := s.client.Activity.Query().Where(activity.KindEQ(kind))
	if s.phase == nil {
		return q
	}
	of := activity.HasPartnershipsWith(s.partnerships()...)
	unlinked := []predicate.Activity{activity.Not(activity.HasPartnerships())}
	if s.phase.StartDate == nil && s.phase.EndDate == nil {
		return q.Where(of)
	}
	if s.phase.StartDate != nil {
		unlinked = append(unlinked, activity.StartDateGTE(*s.phase.StartDate))
	}
	if s.phase.EndDate != nil {
		unlinked = append(unlinked, activity.StartDateLT(endOfDay(*s.phase.EndDate)))
	}
	return q.Where(activity.Or(of, activity.And(unlinked...)))
}

// endOfDay returns the start of the day after t: a phase's end date
// includes its last day.
func endOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
}

// proposals counts the phase's joint project proposals (its partnerships'
// projects that the viewer may list) by status, in one grouped query.
func (s scope) proposals(ctx context.Context) (Proposals, error) {
	q := s.client.Project.Query()
	if s.phase != nil {
		q.Where(project.HasPartnershipWith(s.partnerships()...))
	}
	var rows []struct {
		Status project.Status `json:"status"`
		Count  int            `json:"count"`
	}
	if err := q.GroupBy(project.FieldStatus).Aggregate(ent.Count()).Scan(ctx, &rows); err != nil {
		return Proposals{}, err
	}
	var p Proposals
	for _, r := range rows {
		p.Live += r.Count
		p.ByStatus = append(p.ByStatus, &StatusCount{Status: r.Status, Count: r.Count})
	}
	slices.SortFunc(p.ByStatus, func(a, b *StatusCount) int { return cmp.Compare(a.Status, b.Status) })
	return p, nil
}
