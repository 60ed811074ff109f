package events

import (
	"context"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/internal/audit"
)

// Trained is the programme figure of people trained: each person who
// attended at least one training counts once in Total, once in each
// municipality they are staff of and once in each of those
// municipalities' countries.
type Trained struct {
	Total          int
	ByMunicipality map[int]int
	ByCountry      map[int]int
}

// PeopleTrained counts the people who attended a TRAINING, of the phase
// with id phaseID when not nil (trainings starting within its dates). The
// figure is an aggregate without names: it is counted in the Hub's own
// context, whoever asks.
func PeopleTrained(ctx context.Context, client *ent.Client, phaseID *int) (Trained, error) {
	ctx = audit.Bookkeeping(ctx)
	trainings := []predicate.Event{event.KindEQ(event.KindTRAINING)}
	if phaseID != nil {
		p, err := client.Phase.Query().Where(phase.ID(*phaseID)).Only(ctx)
		if err != nil {
			return Trained{}, err
		}
		if p.StartDate != nil {
			trainings = append(trainings, event.StartsAtGTE(*p.StartDate))
		}
		if p.EndDate != nil {
			trainings = append(trainings, event.StartsAtLT(p.EndDate.AddDate(0, 0, 1)))
		}
	}
	people, err := client.EventRegistration.Query().
		Where(eventregistration.StatusEQ(eventregistration.StatusATTENDED), eventregistration.HasEventWith(trainings...)).
		Unique(true).Select(eventregistration.FieldUserID).Ints(ctx)
	if err != nil {
		return Trained{}, err
	}
	out := Trained{Total: len(people), ByMunicipality: map[int]int{}, ByCountry: map[int]int{}}
	if len(people) == 0 {
		return out, nil
	}
	staff, err := client.Membership.Query().
		Where(membership.UserIDIn(people...), membership.MunicipalityIDNotNil()).WithMunicipality().All(ctx)
	if err != nil {
		return Trained{}, err
	}
	countries := map[[2]int]bool{} // (user, country) counted
	for _, m := range staff {
		out.ByMunicipality[*m.MunicipalityID]++
		c := m.Edges.Municipality.CountryID
		if key := [2]int{m.UserID, c}; !countries[key] {
			countries[key] = true
			out.ByCountry[c]++
		}
	}
	return out, nil
}
