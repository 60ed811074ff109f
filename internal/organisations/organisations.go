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
// first, by acronym, then organisations, by name. Four queries, however
// many actors.
func Actors(ctx context.Context, client *ent.Client, id int) ([]*Actor, error) {
	assocs, err := associationActors(ctx, client, id)
	if err != nil {
		return nil, err
	}
	orgs, err := organisationActors(ctx, client, id)
	if err != nil {
		return nil, err
	}
	return append(assocs, orgs...), nil
}

// associationActors returns the associations the municipality is a member
// of or that facilitate one of its partnerships.
func associationActors(ctx context.Context, client *ent.Client, id int) ([]*Actor, error) {
	members, err := client.Association.Query().Where(association.HasMembersWith(municipality.ID(id))).
		Order(ent.Asc(association.FieldAcronym)).All(ctx)
	if err != nil {
		return nil, err
	}
	facilitators, err := client.Association.Query().Where(association.HasFacilitatedPartnershipsWith(
		partnership.Or(partnership.UkrainianMunicipalityID(id), partnership.EuropeanMunicipalityID(id)),
	)).Order(ent.Asc(association.FieldAcronym)).All(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int]*Actor{}
	var out []*Actor
	add := func(list []*ent.Association, role Role) {
		for _, a := range list {
			if byID[a.ID] == nil {
				byID[a.ID] = &Actor{Association: a}
				out = append(out, byID[a.ID])
			}
			byID[a.ID].Roles = append(byID[a.ID].Roles, role)
		}
	}
	add(members, RoleMember)
	add(facilitators, RoleFacilitator)
	slices.SortFunc(out, func(x, y *Actor) int { return cmp.Compare(x.Association.Acronym, y.Association.Acronym) })
	return out, nil
}

// organisationActors returns the organisations with initiatives in the
// municipality, each with those initiatives.
func organisationActors(ctx context.Context, client *ent.Client, id int) ([]*Actor, error) {
	list, err := client.Initiative.Query().Where(initiative.HasMunicipalitiesWith(municipality.ID(id))).
		WithOrganisation().Order(ent.Asc(initiative.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	byOrg := map[int]*Actor{}
	var out []*Actor
	for _, in := range list {
		org := in.Edges.Organisation
		if org == nil {
			continue
		}
		a, ok := byOrg[org.ID]
		if !ok {
			a = &Actor{Organisation: org, Roles: []Role{RoleInitiative}}
			byOrg[org.ID] = a
			out = append(out, a)
		}
		a.Initiatives = append(a.Initiatives, in)
	}
	slices.SortFunc(out, func(x, y *Actor) int { return cmp.Compare(x.Organisation.Name, y.Organisation.Name) })
	return out, nil
}
