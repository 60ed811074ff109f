// Package organisations answers "who does what where": the actors active
// in a municipality (associations through membership and the partnerships
// they facilitate, organisations through their initiatives) and the
// overlaps of initiatives (two in the same municipality and sector at the
// same time), so that the programme's actors can coordinate. Reads go
// through the viewer's Ent privacy policies.
package organisations

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/initiative"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
)

// Role is how an actor is active in a municipality.
type Role string

// The roles of an actor.
const (
	// RoleMember: the municipality is a member of the association.
	RoleMember Role = "MEMBER"
	// RoleFacilitator: the association facilitates a partnership of the
	// municipality.
	RoleFacilitator Role = "FACILITATOR"
	// RoleInitiative: the organisation has an initiative there.
	RoleInitiative Role = "INITIATIVE"
)

// MarshalGQL writes the role as a GraphQL enum value.
func (r Role) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads a GraphQL enum value.
func (r *Role) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch Role(s) {
	case RoleMember, RoleFacilitator, RoleInitiative:
		*r = Role(s)
		return nil
	}
	return fmt.Errorf("%q is not an actor role", v)
}

// Actor is an association or an organisation active in a municipality.
type Actor struct {
	Association  *ent.Association
	Organisation *ent.Organisation
	Roles        []Role
	// Initiatives are the organisation's initiatives in the municipality.
	Initiatives []*ent.Initiative
}

// Name returns the association's acronym or the organisation's name.
func (a *Actor) Name() string {
	if a.Association != nil {
		return a.Association.Acronym
	}
	return a.Organisation.Name
}

// Actors returns every actor active in municipality id: associations
// first, by acronym, then organisations, by name.
func Actors(ctx context.Context, client *ent.Client, id int) ([]*Actor, error) {
	actors, err := ActorsOf(ctx, client, []int{id})
	return actors[id], err
}

// ActorsOf returns the actors of each municipality of ids, as Actors
// orders them (an empty list for a municipality without), in a fixed
// number of statements (one per query and loaded edge) however many
// municipalities and actors.
func ActorsOf(ctx context.Context, client *ent.Client, ids []int) (map[int][]*Actor, error) {
	out := make(map[int][]*Actor, len(ids))
	for _, id := range ids {
		out[id] = []*Actor{}
	}
	if err := addAssociationActors(ctx, client, ids, out); err != nil {
		return nil, err
	}
	if err := addOrganisationActors(ctx, client, ids, out); err != nil {
		return nil, err
	}
	return out, nil
}

// addAssociationActors adds to out, for each municipality of ids, the
// associations it is a member of or that facilitate one of its
// partnerships, by acronym.
func addAssociationActors(ctx context.Context, client *ent.Client, ids []int, out map[int][]*Actor) error {
	inIDs := municipality.IDIn(ids...)
	onEitherSide := partnership.Or(partnership.UkrainianMunicipalityIDIn(ids...), partnership.EuropeanMunicipalityIDIn(ids...))
	list, err := client.Association.Query().
		Where(association.Or(association.HasMembersWith(inIDs), association.HasFacilitatedPartnershipsWith(onEitherSide))).
		WithMembers(func(q *ent.MunicipalityQuery) { q.Where(inIDs).Select(municipality.FieldID) }).
		WithFacilitatedPartnerships(func(q *ent.PartnershipQuery) {
			q.Where(onEitherSide).Select(partnership.FieldUkrainianMunicipalityID, partnership.FieldEuropeanMunicipalityID)
		}).
		Order(ent.Asc(association.FieldAcronym), ent.Asc(association.FieldID)).All(ctx)
	if err != nil {
		return err
	}
	for _, a := range list {
		roles := map[int][]Role{}
		for _, m := range a.Edges.Members {
			roles[m.ID] = append(roles[m.ID], RoleMember)
		}
		for _, p := range a.Edges.FacilitatedPartnerships {
			for _, m := range []int{p.UkrainianMunicipalityID, p.EuropeanMunicipalityID} {
				if _, asked := out[m]; asked && !slices.Contains(roles[m], RoleFacilitator) {
					roles[m] = append(roles[m], RoleFacilitator)
				}
			}
		}
		for m, r := range roles {
			out[m] = append(out[m], &Actor{Association: a, Roles: r})
		}
	}
	return nil
}

// addOrganisationActors adds to out, for each municipality of ids, the
// organisations with initiatives there, each with those initiatives, by
// name.
func addOrganisationActors(ctx context.Context, client *ent.Client, ids []int, out map[int][]*Actor) error {
	inIDs := municipality.IDIn(ids...)
	list, err := client.Initiative.Query().Where(initiative.HasMunicipalitiesWith(inIDs)).
		WithOrganisation().WithMunicipalities(func(q *ent.MunicipalityQuery) { q.Where(inIDs).Select(municipality.FieldID) }).
		Order(ent.Asc(initiative.FieldID)).All(ctx)
	if err != nil {
		return err
	}
	orgs := map[int][]*Actor{}
	for _, in := range list {
		org := in.Edges.Organisation
		if org == nil {
			continue
		}
		for _, m := range in.Edges.Municipalities {
			i := slices.IndexFunc(orgs[m.ID], func(a *Actor) bool { return a.Organisation.ID == org.ID })
			if i < 0 {
				orgs[m.ID] = append(orgs[m.ID], &Actor{Organisation: org, Roles: []Role{RoleInitiative}})
				i = len(orgs[m.ID]) - 1
			}
			orgs[m.ID][i].Initiatives = append(orgs[m.ID][i].Initiatives, in)
		}
	}
	for m, list := range orgs {
		slices.SortStableFunc(list, func(x, y *Actor) int { return cmp.Compare(x.Organisation.Name, y.Organisation.Name) })
		out[m] = append(out[m], list...)
	}
	return nil
}
