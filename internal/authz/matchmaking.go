package authz

import (
	"context"
	"slices"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/matchdecline"
	"github.com/bridgesoftrust/hub/ent/matchprofile"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/need"
	"github.com/bridgesoftrust/hub/ent/offer"
	"github.com/bridgesoftrust/hub/ent/partnershiprequest"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Matchmaking rules. Needs, offers and matchmaking profiles are public and
// written by their municipality's editors. A declined pair is seen by the
// decliner's staff only. A partnership request is seen by the staff of its
// two municipalities, the editors of their associations (those they are
// members of and the national associations of their countries) and the
// secretariat, and by nobody else on any path; its steps follow
// matchmaking.Steps.

// AllowMatchRecordWrites lets a municipality's editors create, change and
// delete its needs, offers and matchmaking profile.
func AllowMatchRecordWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		id, err := RecordMunicipality(ctx, m)
		if err != nil || id == 0 {
			return err
		}
		if slices.Contains(viewer.FromContext(ctx).EditableMunicipalities(), id) {
			return privacy.Allow
		}
		return deny("only the municipality's editors can change its matchmaking profile, needs and offers")
	})
}

// RecordMunicipality returns the municipality a need, offer or profile
// mutation touches: the one it names, or that of the existing record.
func RecordMunicipality(ctx context.Context, m ent.Mutation) (int, error) {
	if v, ok := m.Field("municipality_id"); ok {
		id, _ := v.(int)
		return id, nil
	}
	idm, ok := m.(interface{ ID() (int, bool) })
	if !ok {
		return 0, nil
	}
	id, ok := idm.ID()
	if !ok {
		return 0, nil
	}
	ctx = SystemContext(ctx)
	switch m := m.(type) {
	case *gen.NeedMutation:
		return m.Client().Need.Query().Where(need.ID(id)).Select(need.FieldMunicipalityID).Int(ctx)
	case *gen.OfferMutation:
		return m.Client().Offer.Query().Where(offer.ID(id)).Select(offer.FieldMunicipalityID).Int(ctx)
	case *gen.MatchProfileMutation:
		return m.Client().MatchProfile.Query().Where(matchprofile.ID(id)).Select(matchprofile.FieldMunicipalityID).Int(ctx)
	}
	return 0, nil
}

// MatchDeclineVisibility shows the declines of the municipalities the
// viewer is staff of.
func MatchDeclineVisibility() privacy.QueryRule {
	return privacy.MatchDeclineQueryRuleFunc(func(ctx context.Context, q *gen.MatchDeclineQuery) error {
		q.Where(matchdecline.MunicipalityIDIn(viewer.FromContext(ctx).MunicipalityIDs()...))
		return privacy.Allow
	})
}

// AllowMatchDeclineWrites lets a municipality's editors decline a
// candidate for it, change the reason and take the decline back.
func AllowMatchDeclineWrites() privacy.MutationRule {
	return privacy.MatchDeclineMutationRuleFunc(func(ctx context.Context, m *gen.MatchDeclineMutation) error {
		editable := viewer.FromContext(ctx).EditableMunicipalities()
		switch {
		case m.Op().Is(ent.OpCreate):
			id, _ := m.MunicipalityID()
			return allowIf(slices.Contains(editable, id), nil)
		case m.Op().Is(ent.OpUpdateOne | ent.OpDelete | ent.OpDeleteOne):
			m.Where(matchdecline.MunicipalityIDIn(editable...))
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// EditorAssociations returns the associations in which v is an editor or
// admin, whatever the credential's scopes (for reading).
func EditorAssociations(v *viewer.Viewer) []int {
	if v == nil {
		return nil
	}
	var out []int
	for id, role := range v.Associations {
		if role.CanEdit() {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// AssociationsOf matches the associations of a municipality: those it is
// a member of and the national associations (LRGAs) of its country.
func AssociationsOf(municipalityID int) predicate.Association {
	return association.Or(
		association.HasMembersWith(municipality.ID(municipalityID)),
		association.And(association.KindEQ(association.KindLRGA),
			association.HasCountryWith(country.HasMunicipalitiesWith(municipality.ID(municipalityID)))),
	)
}

// inAssociations matches the municipalities that belong to one of the
// associations ids (members, or in the country of a national association).
func inAssociations(ids []int) predicate.Municipality {
	return municipality.Or(
		municipality.HasAssociationsWith(association.IDIn(ids...)),
		municipality.HasCountryWith(country.HasAssociationsWith(association.IDIn(ids...), association.KindEQ(association.KindLRGA))),
	)
}

// VisibleRequests matches the partnership requests v may see (the
// secretariat's are allowed by an earlier rule).
func VisibleRequests(v *viewer.Viewer) predicate.PartnershipRequest {
	if v == nil {
		return partnershiprequest.IDIn()
	}
	mine := v.MunicipalityIDs()
	or := []predicate.PartnershipRequest{
		partnershiprequest.UkrainianMunicipalityIDIn(mine...),
		partnershiprequest.EuropeanMunicipalityIDIn(mine...),
	}
	if assocs := EditorAssociations(v); len(assocs) > 0 {
		or = append(or, partnershiprequest.HasUkrainianMunicipalityWith(inAssociations(assocs)),
			partnershiprequest.HasEuropeanMunicipalityWith(inAssociations(assocs)))
	}
	return partnershiprequest.Or(or...)
}

// PartnershipRequestVisibility filters partnership requests to those the
// viewer may see. Analysts see no more than anyone else: requests are
// the municipalities' business.
func PartnershipRequestVisibility() privacy.QueryRule {
	return privacy.PartnershipRequestQueryRuleFunc(func(ctx context.Context, q *gen.PartnershipRequestQuery) error {
		q.Where(VisibleRequests(viewer.FromContext(ctx)))
		return privacy.Allow
	})
}

// RequestAudience returns the users who may see a request: the staff of
// both municipalities and the editors of their associations, and, with
// secretariat set, the secretariat.
func RequestAudience(ctx context.Context, client *gen.Client, r *gen.PartnershipRequest, secretariat bool) ([]int, error) {
	ctx = SystemContext(ctx)
	ids := []int{r.UkrainianMunicipalityID, r.EuropeanMunicipalityID}
	assocs, err := client.Association.Query().
		Where(association.Or(AssociationsOf(ids[0]), AssociationsOf(ids[1]))).IDs(ctx)
	if err != nil {
		return nil, err
	}
	or := []predicate.User{
		user.HasMembershipsWith(membershipOfMunicipalities(ids)),
		user.HasMembershipsWith(editorOfAssociations(assocs)),
	}
	if secretariat {
		or = append(or, user.RoleEQ(user.RoleSECRETARIAT))
	}
	return client.User.Query().Where(user.Or(or...), user.Disabled(false)).Order(user.ByID()).IDs(ctx)
}

// FacilitatorsOf matches the associations that can facilitate a request
// whose EU municipality is eu: the national associations (LRGAs) of its
// country or of which it is a member.
func FacilitatorsOf(eu int) predicate.Association {
	return association.And(association.KindEQ(association.KindLRGA), association.Or(
		association.HasCountryWith(country.HasMunicipalitiesWith(municipality.ID(eu))),
		association.HasMembersWith(municipality.ID(eu)),
	))
}

// RequestRoles returns what the viewer is to a request: initiator,
// receiver, facilitator, secretariat (any number of them).
func RequestRoles(ctx context.Context, client *gen.Client, r *gen.PartnershipRequest) (matchmaking.Role, error) {
	v := viewer.FromContext(ctx)
	var roles matchmaking.Role
	if v.IsSecretariat() && v.Has(viewer.ScopeWrite) {
		roles |= matchmaking.Secretariat
	}
	editable := v.EditableMunicipalities()
	receiver := r.UkrainianMunicipalityID
	if receiver == r.InitiatorID {
		receiver = r.EuropeanMunicipalityID
	}
	if slices.Contains(editable, r.InitiatorID) {
		roles |= matchmaking.Initiator
	}
	if slices.Contains(editable, receiver) {
		roles |= matchmaking.Receiver
	}
	if ids := v.EditableAssociations(); len(ids) > 0 {
		can, err := client.Association.Query().Where(association.IDIn(ids...), FacilitatorsOf(r.EuropeanMunicipalityID)).
			Exist(SystemContext(ctx))
		if err != nil {
			return 0, err
		}
		if can {
			roles |= matchmaking.Facilitator
		}
	}
	return roles, nil
}

// AllowPartnershipRequestSteps lets editors of a municipality propose a
// request for it, and the people matchmaking.Steps names take each later
// step; the order of the steps is checked for everyone by a hook.
func AllowPartnershipRequestSteps() privacy.MutationRule {
	return privacy.PartnershipRequestMutationRuleFunc(func(ctx context.Context, m *gen.PartnershipRequestMutation) error {
		switch {
		case m.Op().Is(ent.OpCreate):
			initiator, _ := m.InitiatorID()
			status, set := m.Status()
			if set && status != matchmaking.Proposed {
				return privacy.Skip
			}
			if !slices.Contains(viewer.FromContext(ctx).EditableMunicipalities(), initiator) {
				return deny("only the municipality's editors can express interest for it")
			}
			return privacy.Allow
		case m.Op().Is(ent.OpUpdateOne):
			return allowStep(ctx, m)
		}
		return privacy.Skip
	})
}

// allowStep allows an update of a request that moves it one step, taken
// by someone the step names.
func allowStep(ctx context.Context, m *gen.PartnershipRequestMutation) error {
	id, _ := m.ID()
	to, moves := m.Status()
	step, known := matchmaking.StepTo(to)
	if !moves || !known {
		return privacy.Skip
	}
	r, err := m.Client().PartnershipRequest.Get(SystemContext(ctx), id)
	if err != nil {
		return err
	}
	roles, err := RequestRoles(ctx, m.Client(), r)
	if err != nil {
		return err
	}
	if err := step.CheckRoles(roles); err != nil {
		return deny(err.Error())
	}
	return privacy.Allow
}

// membershipOfMunicipalities matches memberships in the municipalities ids.
func membershipOfMunicipalities(ids []int) predicate.Membership {
	return membership.MunicipalityIDIn(ids...)
}

// editorOfAssociations matches editor and admin memberships in the
// associations ids.
func editorOfAssociations(ids []int) predicate.Membership {
	return membership.And(membership.AssociationIDIn(ids...), membership.RoleIn(membership.RoleEDITOR, membership.RoleADMIN))
}
