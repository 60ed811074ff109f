package authz

import (
	"context"
	"slices"

	"entgo.io/ent"
	"entgo.io/ent/entql"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/apikey"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// UserVisibility filters users: signed-in people see each other (display
// names; e-mail addresses are guarded by the API), anonymous callers see
// no one.
func UserVisibility() privacy.QueryRule {
	return privacy.UserQueryRuleFunc(func(ctx context.Context, q *gen.UserQuery) error {
		if viewer.FromContext(ctx) == nil {
			q.Where(user.IDIn())
		}
		return privacy.Allow
	})
}

// AllowSelfUpdate lets users change their own profile (display name,
// language), but not their role or whether they are disabled.
func AllowSelfUpdate() privacy.MutationRule {
	return privacy.UserMutationRuleFunc(func(ctx context.Context, m *gen.UserMutation) error {
		id, ok := m.ID()
		if !ok || !m.Op().Is(ent.OpUpdateOne) || id != viewer.FromContext(ctx).UserID {
			return privacy.Skip
		}
		if _, changesRole := m.Role(); changesRole {
			return privacy.Skip
		}
		if _, changesDisabled := m.Disabled(); changesDisabled {
			return privacy.Skip
		}
		return privacy.Allow
	})
}

// MembershipVisibility filters memberships: users see their own and those
// of the organisations they are staff of.
func MembershipVisibility() privacy.QueryRule {
	return privacy.MembershipQueryRuleFunc(func(ctx context.Context, q *gen.MembershipQuery) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			q.Where(membership.IDIn())
			return privacy.Allow
		}
		q.Where(membership.Or(
			membership.UserID(v.UserID),
			membership.MunicipalityIDIn(v.MunicipalityIDs()...),
			membership.AssociationIDIn(v.AssociationIDs()...),
			membership.OrganisationIDIn(v.OrganisationIDs()...),
		))
		return privacy.Allow
	})
}

// AllowOrganisationAdmins lets the admins of a municipality, association
// or organisation add, change and remove its staff.
func AllowOrganisationAdmins() privacy.MutationRule {
	return privacy.MembershipMutationRuleFunc(func(ctx context.Context, m *gen.MembershipMutation) error {
		t, err := membershipTargets(ctx, m)
		if err != nil {
			return err
		}
		v := viewer.FromContext(ctx)
		if isAdminOfAll(v.Municipalities, t.municipalities) && isAdminOfAll(v.Associations, t.associations) &&
			isAdminOfAll(v.Organisations, t.organisations) &&
			len(t.municipalities)+len(t.associations)+len(t.organisations) > 0 {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// staffTargets are the places whose staff a membership mutation changes.
type staffTargets struct{ municipalities, associations, organisations []int }

// add records the places a membership names.
func (t *staffTargets) add(municipality, association, organisation *int) {
	for _, p := range []struct {
		id  *int
		ids *[]int
	}{{municipality, &t.municipalities}, {association, &t.associations}, {organisation, &t.organisations}} {
		if p.id != nil {
			*p.ids = append(*p.ids, *p.id)
		}
	}
}

// membershipTargets returns the places a membership mutation touches.
func membershipTargets(ctx context.Context, m *gen.MembershipMutation) (staffTargets, error) {
	var t staffTargets
	t.add(optional(m.MunicipalityID()), optional(m.AssociationID()), optional(m.OrganisationID()))
	id, ok := m.ID()
	if !ok || m.Op().Is(ent.OpCreate) {
		return t, nil
	}
	current, err := m.Client().Membership.Get(SystemContext(ctx), id)
	if err != nil {
		return t, err
	}
	t.add(current.MunicipalityID, current.AssociationID, current.OrganisationID)
	return t, nil
}

// optional turns a mutation's (value, set) pair into a pointer.
func optional(id int, set bool) *int {
	if !set {
		return nil
	}
	return &id
}

func isAdminOfAll(roles map[int]viewer.MemberRole, ids []int) bool {
	return !slices.ContainsFunc(ids, func(id int) bool { return roles[id] != viewer.MemberAdmin })
}

// OwnAPIKeys filters API keys to the viewer's own.
func OwnAPIKeys() privacy.QueryRule {
	return privacy.APIKeyQueryRuleFunc(func(ctx context.Context, q *gen.APIKeyQuery) error {
		q.Where(apikey.UserID(viewer.ID(ctx)))
		return privacy.Allow
	})
}

// AllowOwnAPIKeyWrites lets users create and revoke their own API keys.
func AllowOwnAPIKeyWrites() privacy.MutationRule {
	return privacy.APIKeyMutationRuleFunc(func(ctx context.Context, m *gen.APIKeyMutation) error {
		owner, ok := m.UserID()
		if id, exists := m.ID(); exists && !m.Op().Is(ent.OpCreate) {
			key, err := m.Client().APIKey.Get(SystemContext(ctx), id)
			if err != nil {
				return err
			}
			owner, ok = key.UserID, true
		}
		if ok && owner == viewer.ID(ctx) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// NoReads filters out every record: for data only the secretariat or the
// system reads (audit logs, sessions). Ids are never negative.
func NoReads() privacy.QueryRule {
	return privacy.FilterFunc(func(_ context.Context, f privacy.Filter) error {
		f.Where(entql.FieldLT("id", 0))
		return privacy.Allow
	})
}
