package authz

import (
	"context"
	"slices"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// AllowOwnOrganisationUpdate lets editors and admins of an organisation
// (programme, donor, network, NGO) change its profile.
func AllowOwnOrganisationUpdate() privacy.MutationRule {
	return privacy.OrganisationMutationRuleFunc(func(ctx context.Context, m *gen.OrganisationMutation) error {
		id, ok := m.ID()
		if ok && m.Op().Is(ent.OpUpdateOne) && slices.Contains(viewer.FromContext(ctx).EditableOrganisations(), id) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowOrganisationInitiativeWrites lets editors and admins of an
// organisation create, change and delete its initiatives.
func AllowOrganisationInitiativeWrites() privacy.MutationRule {
	return privacy.InitiativeMutationRuleFunc(func(ctx context.Context, m *gen.InitiativeMutation) error {
		owner, ok := m.OrganisationID()
		if id, exists := m.ID(); exists && !m.Op().Is(ent.OpCreate) {
			current, err := m.Client().Initiative.Get(SystemContext(ctx), id)
			if err != nil {
				return err
			}
			owner, ok = current.OrganisationID, true
		}
		if ok && slices.Contains(viewer.FromContext(ctx).EditableOrganisations(), owner) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}
