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
		))
		return privacy.Allow
	})
}

// AllowOrganisationAdmins lets the admins of a municipality or association
// add, change and remove its staff.
func AllowOrganisationAdmins() privacy.MutationRule {
	return privacy.MembershipMutationRuleFunc(func(ctx context.Context, m *gen.MembershipMutation) error {
		municipalities, associations, err := membershipTargets(ctx, m)
		if err != nil {
			return err
		}
		v := viewer.FromContext(ctx)
		if isAdminOfAll(v.Municipalities, municipalities) && isAdminOfAll(v.Associations, associations) &&
			len(municipalities)+len(associations) > 0 {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// membershipTargets returns the organisations a membership mutation touches.
func membershipTargets(ctx context.Context, m *gen.MembershipMutation) (municipalities, associations []int, err error) {
	if id, ok := m.MunicipalityID(); ok {
		municipalities = append(municipalities, id)
	}
	if id, ok := m.AssociationID(); ok {
		associations = append(associations, id)
	}
	id, ok := m.ID()
	if !ok || m.Op().Is(ent.OpCreate) {
		return municipalities, associations, nil
	}
	current, err := m.Client().Membership.Get(SystemContext(ctx), id)
	if err != nil {
		return nil, nil, err
	}
	if current.MunicipalityID != nil {
		municipalities = append(municipalities, *current.MunicipalityID)
	}
	if current.AssociationID != nil {
		associations = append(associations, *current.AssociationID)
	}
	return municipalities, associations, nil
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
