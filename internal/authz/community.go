package authz

import (
	"context"
	"slices"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// AllowOwnMunicipalityUpdate lets editors and admins of a municipality
// change its profile.
func AllowOwnMunicipalityUpdate() privacy.MutationRule {
	return privacy.MunicipalityMutationRuleFunc(func(ctx context.Context, m *gen.MunicipalityMutation) error {
		id, ok := m.ID()
		if ok && m.Op().Is(ent.OpUpdateOne) && slices.Contains(viewer.FromContext(ctx).EditableMunicipalities(), id) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowOwnAssociationUpdate lets editors and admins of an association change
// its profile.
func AllowOwnAssociationUpdate() privacy.MutationRule {
	return privacy.AssociationMutationRuleFunc(func(ctx context.Context, m *gen.AssociationMutation) error {
		id, ok := m.ID()
		if ok && m.Op().Is(ent.OpUpdateOne) && slices.Contains(viewer.FromContext(ctx).EditableAssociations(), id) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// partnershipsOf matches the partnerships one of whose municipalities is in
// municipalities or which one of associations facilitates.
func partnershipsOf(municipalities, associations []int) predicate.Partnership {
	return partnership.Or(
		partnership.UkrainianMunicipalityIDIn(municipalities...),
		partnership.EuropeanMunicipalityIDIn(municipalities...),
		partnership.HasFacilitatorsWith(association.IDIn(associations...)),
	)
}

// editablePartnerships matches the partnerships whose projects and
// activities the viewer may change.
func editablePartnerships(v *viewer.Viewer) predicate.Partnership {
	return partnershipsOf(v.EditableMunicipalities(), v.EditableAssociations())
}

// canEditPartnerships reports whether the viewer may change the projects and
// activities of every one of the partnerships ids.
func canEditPartnerships(ctx context.Context, client *gen.Client, ids ...int) (bool, error) {
	ids = uniq(ids)
	if len(ids) == 0 {
		return true, nil
	}
	n, err := client.Partnership.Query().
		Where(partnership.IDIn(ids...), editablePartnerships(viewer.FromContext(ctx))).
		Count(SystemContext(ctx))
	return n == len(ids), err
}

// ProjectVisibility filters projects: anyone sees projects past the concept
// stage; staff also see the concept projects of their own partnerships;
// the secretariat and analysts see all (an earlier rule allows them).
func ProjectVisibility() privacy.QueryRule {
	return privacy.ProjectQueryRuleFunc(func(ctx context.Context, q *gen.ProjectQuery) error {
		q.Where(ReadableProjects(viewer.FromContext(ctx)))
		return privacy.Allow
	})
}

// AllowPartnerProjectWrites lets staff of a partnership's municipalities
// and facilitating associations create, edit and delete its projects.
func AllowPartnerProjectWrites() privacy.MutationRule {
	return privacy.ProjectMutationRuleFunc(func(ctx context.Context, m *gen.ProjectMutation) error {
		ids, err := projectPartnerships(ctx, m)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return privacy.Skip
		}
		return allowIf(canEditPartnerships(ctx, m.Client(), ids...))
	})
}

// projectPartnerships returns the partnerships a project mutation touches:
// the new one and, for an existing project, its current one.
func projectPartnerships(ctx context.Context, m *gen.ProjectMutation) ([]int, error) {
	var ids []int
	if id, ok := m.PartnershipID(); ok {
		ids = append(ids, id)
	}
	if id, ok := m.ID(); ok && !m.Op().Is(ent.OpCreate) {
		current, err := m.Client().Project.Query().Where(project.ID(id)).
			QueryPartnership().OnlyID(SystemContext(ctx))
		if err != nil {
			return nil, err
		}
		ids = append(ids, current)
	}
	return ids, nil
}

// AllowPartnerActivityWrites lets staff change an activity when they may
// edit every partnership it belongs to (before and after the change) and
// either it belongs to at least one partnership or their association
// organises it.
func AllowPartnerActivityWrites() privacy.MutationRule {
	return privacy.ActivityMutationRuleFunc(func(ctx context.Context, m *gen.ActivityMutation) error {
		ids, organiser, err := activityScope(ctx, m)
		if err != nil {
			return err
		}
		organises := organiser != nil && slices.Contains(viewer.FromContext(ctx).EditableAssociations(), *organiser)
		if len(ids) == 0 && !organises {
			return privacy.Skip
		}
		return allowIf(canEditPartnerships(ctx, m.Client(), ids...))
	})
}

// activityScope returns the partnerships an activity mutation touches and
// the organiser the activity will have.
func activityScope(ctx context.Context, m *gen.ActivityMutation) ([]int, *int, error) {
	ids := append(m.PartnershipsIDs(), m.RemovedPartnershipsIDs()...)
	var organiser *int
	if id, ok := m.OrganiserID(); ok {
		organiser = &id
	}
	id, ok := m.ID()
	if !ok || m.Op().Is(ent.OpCreate) {
		return ids, organiser, nil
	}
	current, err := m.Client().Activity.Query().Where(activity.ID(id)).WithPartnerships().Only(SystemContext(ctx))
	if err != nil {
		return nil, nil, err
	}
	for _, p := range current.Edges.Partnerships {
		ids = append(ids, p.ID)
	}
	if organiser == nil && !m.OrganiserCleared() {
		organiser = current.OrganiserID
	}
	return ids, organiser, nil
}

// allowIf turns a check's outcome into a privacy decision.
func allowIf(ok bool, err error) error {
	switch {
	case err != nil:
		return err
	case ok:
		return privacy.Allow
	default:
		return privacy.Skip
	}
}

func uniq(ids []int) []int {
	slices.Sort(ids)
	return slices.Compact(ids)
}
