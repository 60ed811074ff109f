package graph

import (
	"context"
	"fmt"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/emailpreference"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/eventsession"
	"github.com/bridgesoftrust/hub/graph/model"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/email"
	"github.com/bridgesoftrust/hub/internal/events"
	"github.com/bridgesoftrust/hub/internal/signedlink"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Events and e-mail preferences: the work is internal/events' and
// internal/email's; the policies decide who may.

// db returns the client of the operation's transaction (a mutation's
// payload reads what the mutation wrote), or the resolver's.
func (r *Resolver) db(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.client
}

// createEvent creates an event with its first session.
func createEvent(ctx context.Context, client *ent.Client, in model.CreateEventInput) (*ent.Event, error) {
	build := client.Event.Create().SetTitle(in.Title).SetKind(in.Kind).SetNillableDescription(in.Description).
		SetNillableLanguage(in.Language).SetNillableCapacity(in.Capacity).SetNillableAudience(in.Audience).
		SetNillableOrganiserID(in.OrganiserID).SetNillablePartnershipID(in.PartnershipID).
		SetNillableActivityID(in.ActivityID).AddInvitedMunicipalityIDs(in.InvitedMunicipalityIds...)
	return events.Create(ctx, client, build, events.Session{StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		TimeZone: in.TimeZone, Place: valueOr(in.Place, ""), OnlineURL: valueOr(in.OnlineURL, "")})
}

// addEventSession adds a session to an event the viewer sees.
func addEventSession(ctx context.Context, client *ent.Client, in model.AddEventSessionInput) (*ent.EventSession, error) {
	if _, err := client.Event.Get(ctx, in.EventID); err != nil {
		return nil, err
	}
	return events.AddSession(ctx, client, events.Session{EventID: in.EventID, Title: valueOr(in.Title, ""),
		StartsAt: in.StartsAt, EndsAt: in.EndsAt, TimeZone: in.TimeZone,
		Place: valueOr(in.Place, ""), OnlineURL: valueOr(in.OnlineURL, "")})
}

// myRegistration returns the viewer's registration for an event, if any,
// read for the event's whole list at once.
func myRegistration(ctx context.Context, client *ent.Client, e *ent.Event) (*ent.EventRegistration, error) {
	return batched(ctx, batchKey{kind: "my event registration"}, e.ID, eventIDs,
		func(ctx context.Context, ids []int) (map[int]*ent.EventRegistration, error) {
			mine := make(map[int]*ent.EventRegistration, len(ids))
			for _, id := range ids {
				mine[id] = nil
			}
			if viewer.ID(ctx) == 0 {
				return mine, nil
			}
			regs, err := client.EventRegistration.Query().
				Where(eventregistration.EventIDIn(ids...), eventregistration.UserID(viewer.ID(ctx))).All(ctx)
			for _, r := range regs {
				mine[r.EventID] = r
			}
			return mine, err
		})
}

// sessionList returns an event's sessions, earliest first, read for the
// event's whole list at once.
func sessionList(ctx context.Context, client *ent.Client, e *ent.Event) ([]*ent.EventSession, error) {
	return batched(ctx, batchKey{kind: "event sessions"}, e.ID, eventIDs,
		func(ctx context.Context, ids []int) (map[int][]*ent.EventSession, error) {
			sessions, err := client.EventSession.Query().Where(eventsession.EventIDIn(ids...)).
				Order(eventsession.ByStartsAt(), eventsession.ByID()).All(ctx)
			byEvent := make(map[int][]*ent.EventSession, len(ids))
			for _, id := range ids {
				byEvent[id] = []*ent.EventSession{}
			}
			for _, s := range sessions {
				byEvent[s.EventID] = append(byEvent[s.EventID], s)
			}
			return byEvent, err
		})
}

// eventTally returns how many places of an event are taken and how many
// people wait, read for the event's whole list at once.
func eventTally(ctx context.Context, client *ent.Client, e *ent.Event) (events.Tally, error) {
	return batched(ctx, batchKey{kind: "event tally"}, e.ID, eventIDs,
		func(ctx context.Context, ids []int) (map[int]events.Tally, error) {
			return events.Tallies(ctx, client, ids)
		})
}

// eventIDs returns the ids of a list of events (nil for any other result).
func eventIDs(result any) []int {
	switch list := result.(type) {
	case []*ent.EventEdge:
		return idsOf(list, func(e *ent.EventEdge) int { return e.Node.ID })
	case []*ent.Event:
		return idsOf(list, func(e *ent.Event) int { return e.ID })
	}
	return nil
}

// calendarURL is the address of an event's iCalendar file.
func calendarURL(e *ent.Event) string { return fmt.Sprintf("/calendar/events/%d.ics", e.ID) }

// myCalendarFeedURL is the secret address of the viewer's calendar feed.
func myCalendarFeedURL(ctx context.Context) (string, error) {
	id := viewer.ID(ctx)
	if id == 0 {
		return "", apierr.New(apierr.Unauthenticated, "sign in to get your calendar feed")
	}
	return "/calendar/users/" + signedlink.Make(signedlink.Calendar, id, "feed") + ".ics", nil
}

// myEmailPreferences returns the viewer's e-mail preferences, defaults included.
func myEmailPreferences(ctx context.Context, client *ent.Client) ([]*model.EmailPreferenceSetting, error) {
	id := viewer.ID(ctx)
	if id == 0 {
		return nil, apierr.New(apierr.Unauthenticated, "sign in to see your e-mail preferences")
	}
	prefs, err := email.Preferences(ctx, client, id)
	if err != nil {
		return nil, err
	}
	out := make([]*model.EmailPreferenceSetting, len(email.Kinds))
	for i, k := range email.Kinds {
		out[i] = &model.EmailPreferenceSetting{Kind: k, Frequency: prefs[k]}
	}
	return out, nil
}

// setEmailPreference sets one of the viewer's e-mail preferences.
func setEmailPreference(ctx context.Context, client *ent.Client, kind emailpreference.Kind, f emailpreference.Frequency) (*model.EmailPreferenceSetting, error) {
	if err := email.SetPreference(ctx, client, viewer.ID(ctx), kind, f); err != nil {
		return nil, err
	}
	return &model.EmailPreferenceSetting{Kind: kind, Frequency: f}, nil
}

// followForumCategory makes the viewer follow a category they can read,
// or stop following it.
func followForumCategory(ctx context.Context, client *ent.Client, id int, follow bool) (bool, error) {
	me := viewer.ID(ctx)
	if me == 0 {
		return false, apierr.New(apierr.Unauthenticated, "sign in to follow forum categories")
	}
	if _, err := client.ForumCategory.Get(ctx, id); err != nil {
		return false, err
	}
	update := client.User.UpdateOneID(me)
	if follow {
		update.AddFollowedCategoryIDs(id)
	} else {
		update.RemoveFollowedCategoryIDs(id)
	}
	// The viewer's own row, a category they read: the Hub links it.
	if err := update.Exec(authz.SystemContext(ctx)); err != nil && !ent.IsConstraintError(err) {
		return false, err
	}
	return follow, nil
}
