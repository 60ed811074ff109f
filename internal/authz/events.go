package authz

import (
	"context"
	"slices"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/emailpreference"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/eventsession"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Event rules. An event's audience decides who sees it: PUBLIC anyone,
// MEMBERS signed-in users, PARTNERSHIP the staff of its partnership's two
// municipalities, INVITED the staff of the invited municipalities; its
// organisers (the organising association's staff, its creator) and the
// secretariat and analysts always. The secretariat and the organising
// association's editors change events and their sessions. A registration
// is seen by the person, whoever registered them, the event's organisers
// and the secretariat.

// VisibleEvents matches the events v may see (the secretariat's and
// analysts' are allowed by an earlier rule).
func VisibleEvents(v *viewer.Viewer) predicate.Event {
	if v == nil {
		return event.AudienceEQ(event.AudiencePUBLIC)
	}
	mine := v.MunicipalityIDs()
	return event.Or(
		event.AudienceIn(event.AudiencePUBLIC, event.AudienceMEMBERS),
		event.CreatedByID(v.UserID),
		event.OrganiserIDIn(v.AssociationIDs()...),
		event.And(event.AudienceEQ(event.AudiencePARTNERSHIP), event.HasPartnershipWith(partnership.Or(
			partnership.UkrainianMunicipalityIDIn(mine...), partnership.EuropeanMunicipalityIDIn(mine...)))),
		event.And(event.AudienceEQ(event.AudienceINVITED), event.HasInvitedMunicipalitiesWith(municipality.IDIn(mine...))),
	)
}

// EventVisibility filters events to those the viewer's audience sees.
func EventVisibility() privacy.QueryRule {
	return privacy.EventQueryRuleFunc(func(ctx context.Context, q *gen.EventQuery) error {
		q.Where(VisibleEvents(viewer.FromContext(ctx)))
		return privacy.Allow
	})
}

// AllowEventOrganisers lets the editors of an association create events
// it organises and change or delete them.
func AllowEventOrganisers() privacy.MutationRule {
	return privacy.EventMutationRuleFunc(func(ctx context.Context, m *gen.EventMutation) error {
		editable := viewer.FromContext(ctx).EditableAssociations()
		if len(editable) == 0 {
			return privacy.Skip
		}
		if id, ok := m.OrganiserID(); ok && !slices.Contains(editable, id) {
			return privacy.Skip
		}
		if m.Op().Is(ent.OpCreate) {
			_, ok := m.OrganiserID()
			return allowIf(ok, nil)
		}
		if m.OrganiserCleared() {
			return privacy.Skip
		}
		m.Where(event.OrganiserIDIn(editable...))
		return privacy.Allow
	})
}

// OrganisedEvents matches the events v organises: created by v, or
// organised by an association v edits (for reading).
func OrganisedEvents(v *viewer.Viewer) predicate.Event {
	if v == nil {
		return event.IDIn()
	}
	return event.Or(event.CreatedByID(v.UserID), event.OrganiserIDIn(EditorAssociations(v)...))
}

// CanOrganise reports whether the viewer of ctx organises event id: the
// secretariat, its creator or an editor of its organising association.
func CanOrganise(ctx context.Context, client *gen.Client, id int) (bool, error) {
	v := viewer.FromContext(ctx)
	if v.IsSecretariat() {
		return true, nil
	}
	return client.Event.Query().Where(event.ID(id), OrganisedEvents(v)).Exist(SystemContext(ctx))
}

// EventSessionVisibility shows the sessions of the events the viewer sees;
// an event's sessions loaded with it (LoadedThrough event.sessions) need
// no filter.
func EventSessionVisibility() privacy.QueryRule {
	return privacy.EventSessionQueryRuleFunc(func(ctx context.Context, q *gen.EventSessionQuery) error {
		if q.LoadedThrough() != eventSessions {
			q.Where(eventsession.HasEventWith(VisibleEvents(viewer.FromContext(ctx))))
		}
		return privacy.Allow
	})
}

// AllowEventSessionOrganisers lets an event's organisers add, change and
// remove its sessions.
func AllowEventSessionOrganisers() privacy.MutationRule {
	return privacy.EventSessionMutationRuleFunc(func(ctx context.Context, m *gen.EventSessionMutation) error {
		if id, ok := m.EventID(); ok && m.Op().Is(ent.OpCreate) {
			return allowIf(CanOrganise(ctx, m.Client(), id))
		}
		m.Where(eventsession.HasEventWith(OrganisedEvents(viewer.FromContext(ctx))))
		return privacy.Allow
	})
}

// visibleRegistrations matches the registrations v may see.
func visibleRegistrations(v *viewer.Viewer) predicate.EventRegistration {
	if v == nil {
		return eventregistration.IDIn()
	}
	return eventregistration.Or(
		eventregistration.UserID(v.UserID),
		eventregistration.RegisteredByID(v.UserID),
		eventregistration.HasEventWith(OrganisedEvents(v)),
	)
}

// EventRegistrationVisibility filters registrations to the person's own,
// those they made and those of the events they organise.
func EventRegistrationVisibility() privacy.QueryRule {
	return privacy.EventRegistrationQueryRuleFunc(func(ctx context.Context, q *gen.EventRegistrationQuery) error {
		q.Where(visibleRegistrations(viewer.FromContext(ctx)))
		return privacy.Allow
	})
}

// AllowEventRegistrationWrites lets users register themselves or a
// colleague of one of their municipalities for an event they see; the
// person, their registrar and the organisers cancel; the organisers
// record attendance. Places and the waiting list are internal/events'.
func AllowEventRegistrationWrites() privacy.MutationRule {
	return privacy.EventRegistrationMutationRuleFunc(func(ctx context.Context, m *gen.EventRegistrationMutation) error {
		v := viewer.FromContext(ctx)
		if m.Op().Is(ent.OpCreate) {
			return allowRegistration(ctx, m, v)
		}
		if !m.Op().Is(ent.OpUpdateOne|ent.OpUpdate) || !changesOnly(m, eventregistration.FieldStatus, eventregistration.FieldPosition,
			eventregistration.FieldCancelledAt, eventregistration.FieldAttendedAt, eventregistration.FieldUpdatedAt) {
			return privacy.Skip
		}
		organised := eventregistration.HasEventWith(OrganisedEvents(v))
		switch status, _ := m.Status(); status {
		case eventregistration.StatusCANCELLED:
			m.Where(eventregistration.Or(eventregistration.UserID(v.UserID), eventregistration.RegisteredByID(v.UserID), organised))
		case eventregistration.StatusATTENDED:
			m.Where(organised)
		default:
			return privacy.Skip
		}
		return privacy.Allow
	})
}

// allowRegistration allows a registration by v of v or a colleague, made
// by v, for an event v sees.
func allowRegistration(ctx context.Context, m *gen.EventRegistrationMutation, v *viewer.Viewer) error {
	person, _ := m.UserID()
	eventID, _ := m.EventID()
	if by, ok := m.RegisteredByID(); ok && by != v.UserID {
		return deny("registrations are made in the registrar's own name")
	}
	visible, err := m.Client().Event.Query().Where(event.ID(eventID)).Exist(ctx)
	if err != nil || !visible {
		return err
	}
	if person == v.UserID {
		return privacy.Allow
	}
	colleague, err := m.Client().User.Query().Where(user.ID(person),
		user.HasMembershipsWith(membership.MunicipalityIDIn(v.MunicipalityIDs()...))).Exist(SystemContext(ctx))
	if err != nil {
		return err
	}
	if !colleague {
		return deny("you can register yourself or colleagues of your municipality only")
	}
	return privacy.Allow
}

// OwnEmailPreferences filters e-mail preferences to the viewer's own.
func OwnEmailPreferences() privacy.QueryRule {
	return privacy.EmailPreferenceQueryRuleFunc(func(ctx context.Context, q *gen.EmailPreferenceQuery) error {
		q.Where(emailpreference.UserID(viewer.ID(ctx)))
		return privacy.Allow
	})
}

// AllowOwnEmailPreferences lets users set their own e-mail preferences.
func AllowOwnEmailPreferences() privacy.MutationRule {
	return privacy.EmailPreferenceMutationRuleFunc(func(ctx context.Context, m *gen.EmailPreferenceMutation) error {
		if m.Op().Is(ent.OpCreate) {
			return allowIf(ownedByViewer(ctx, m, emailpreference.FieldUserID), nil)
		}
		m.Where(emailpreference.UserID(viewer.ID(ctx)))
		return privacy.Allow
	})
}
