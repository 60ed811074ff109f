// Package events runs the Hub's events: creating them with their sessions,
// registering people (themselves or colleagues of their municipality),
// the waiting list, attendance, reminders through notifications and the
// programme's count of people trained. The privacy policies of ent/schema
// (rules in internal/authz/events.go) decide who may do what; this package
// decides places.
//
// Registration changes of one event are serialised by bumping the event's
// seat_version first in the transaction: on PostgreSQL the UPDATE takes
// the event row's lock until commit, and each later statement (READ
// COMMITTED) sees the committed places; SQLite transactions take the
// write lock at BEGIN (_txlock=immediate). So two people never get the
// last place, and a freed place goes to exactly one waiting person.
package events

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/eventsession"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/notify"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Session is when and where an event meets.
type Session struct {
	Title     string
	StartsAt  time.Time
	EndsAt    time.Time
	TimeZone  string
	Place     string
	OnlineURL string
	// EventID is the event of an added session.
	EventID int
}

// bookkeeping is the context of the Hub's own follow-up writes: allowed by
// every policy and kept out of the audit log.

// Create saves an event built by build with its first session s.
func Create(ctx context.Context, client *ent.Client, build *ent.EventCreate, s Session) (*ent.Event, error) {
	e, err := build.SetStartsAt(s.StartsAt).SetEndsAt(s.EndsAt).SetTimeZone(s.TimeZone).Save(ctx)
	if err != nil {
		return nil, err
	}
	s.EventID = e.ID
	if _, err := AddSession(ctx, client, s); err != nil {
		return nil, err
	}
	return client.Event.Get(ctx, e.ID)
}

// AddSession adds a session to an event and widens the event's span.
func AddSession(ctx context.Context, client *ent.Client, s Session) (*ent.EventSession, error) {
	created, err := client.EventSession.Create().SetEventID(s.EventID).SetNillableTitle(nilIfEmpty(s.Title)).
		SetStartsAt(s.StartsAt).SetEndsAt(s.EndsAt).SetTimeZone(s.TimeZone).
		SetNillablePlace(nilIfEmpty(s.Place)).SetNillableOnlineURL(nilIfEmpty(s.OnlineURL)).Save(ctx)
	if err != nil {
		return nil, err
	}
	return created, updateSpan(ctx, client, s.EventID)
}

// updateSpan sets an event's start, end and time zone from its sessions.
func updateSpan(ctx context.Context, client *ent.Client, eventID int) error {
	ctx = audit.Bookkeeping(ctx)
	sessions, err := client.EventSession.Query().Where(eventsession.EventID(eventID)).
		Order(eventsession.ByStartsAt(), eventsession.ByID()).All(ctx)
	if err != nil || len(sessions) == 0 {
		return err
	}
	end := sessions[0].EndsAt
	for _, s := range sessions {
		if s.EndsAt.After(end) {
			end = s.EndsAt
		}
	}
	return client.Event.UpdateOneID(eventID).SetStartsAt(sessions[0].StartsAt).SetEndsAt(end).
		SetTimeZone(sessions[0].TimeZone).Exec(ctx)
}

// lock bumps the event's seat_version, serialising the registration
// changes of the event until the transaction ends (see the package doc).
func lock(ctx context.Context, client *ent.Client, eventID int) error {
	return client.Event.UpdateOneID(eventID).AddSeatVersion(1).Exec(audit.Bookkeeping(ctx))
}

// Register registers person (the viewer when 0) for an event the viewer
// sees: REGISTERED while places remain, WAITLISTED at the end of the
// waiting list once full. A cancelled registration is taken up again.
func Register(ctx context.Context, client *ent.Client, eventID, person int) (*ent.EventRegistration, error) {
	if viewer.ID(ctx) == 0 {
		return nil, &authz.DenyError{Reason: "sign in to register for events"}
	}
	if person == 0 {
		person = viewer.ID(ctx)
	}
	e, err := client.Event.Get(ctx, eventID) // the viewer's audience decides
	if err != nil {
		return nil, err
	}
	if e.EndsAt.Before(time.Now()) {
		return nil, validation.Errorf("eventId", "the event ended on %s", e.EndsAt.Format(time.DateOnly))
	}
	if err := lock(ctx, client, e.ID); err != nil {
		return nil, err
	}
	existing, err := client.EventRegistration.Query().
		Where(eventregistration.EventID(e.ID), eventregistration.UserID(person)).Only(ctx) // those the viewer sees
	switch {
	case ent.IsNotFound(err):
		existing = nil
	case err != nil:
		return nil, err
	case existing.Status != eventregistration.StatusCANCELLED:
		return nil, validation.Errorf("userId", "already registered for this event (%s)", existing.Status)
	}
	status, position, err := place(ctx, client, e)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		return client.EventRegistration.UpdateOne(existing).SetStatus(status).SetNillablePosition(position).
			ClearCancelledAt().Save(bookkeepingIf(ctx, existing))
	}
	return client.EventRegistration.Create().SetEventID(e.ID).SetUserID(person).SetRegisteredByID(viewer.ID(ctx)).
		SetStatus(status).SetNillablePosition(position).Save(ctx)
}

// bookkeepingIf returns the context in which a cancelled registration is
// taken up again: the Hub's, once the viewer is the person or their
// registrar (the only ones who may); else the viewer's, which is refused.
func bookkeepingIf(ctx context.Context, r *ent.EventRegistration) context.Context {
	id := viewer.ID(ctx)
	if r.UserID == id || (r.RegisteredByID != nil && *r.RegisteredByID == id) {
		return audit.Bookkeeping(ctx)
	}
	return ctx
}

// place returns the status and waiting-list position of a new
// registration for e.
func place(ctx context.Context, client *ent.Client, e *ent.Event) (eventregistration.Status, *int, error) {
	ctx = audit.Bookkeeping(ctx)
	if e.Capacity == nil {
		return eventregistration.StatusREGISTERED, nil, nil
	}
	taken, err := takenPlaces(ctx, client, e.ID)
	if err != nil {
		return "", nil, err
	}
	if taken < *e.Capacity {
		return eventregistration.StatusREGISTERED, nil, nil
	}
	next := 1
	last, err := client.EventRegistration.Query().
		Where(eventregistration.EventID(e.ID), eventregistration.StatusEQ(eventregistration.StatusWAITLISTED)).
		Order(eventregistration.ByPosition(sql.OrderDesc())).First(ctx)
	switch {
	case err == nil && last.Position != nil:
		next = *last.Position + 1
	case err != nil && !ent.IsNotFound(err):
		return "", nil, err
	}
	return eventregistration.StatusWAITLISTED, &next, nil
}

// takenPlaces counts the registrations that hold a place.
func takenPlaces(ctx context.Context, client *ent.Client, eventID int) (int, error) {
	return client.EventRegistration.Query().Where(eventregistration.EventID(eventID),
		eventregistration.StatusIn(eventregistration.StatusREGISTERED, eventregistration.StatusATTENDED)).Count(audit.Bookkeeping(ctx))
}

// Cancel cancels a registration the viewer sees; a place it frees goes to
// the first people on the waiting list, who are notified.
func Cancel(ctx context.Context, client *ent.Client, id int) (*ent.EventRegistration, error) {
	r, err := client.EventRegistration.Get(ctx, id)
	if err != nil || r.Status == eventregistration.StatusCANCELLED {
		return r, err
	}
	if r.Status == eventregistration.StatusATTENDED {
		return nil, validation.Errorf("id", "the person attended: an attended registration cannot be cancelled")
	}
	if err := lock(ctx, client, r.EventID); err != nil {
		return nil, err
	}
	r, err = client.EventRegistration.UpdateOne(r).SetStatus(eventregistration.StatusCANCELLED).
		ClearPosition().SetCancelledAt(time.Now()).Save(ctx)
	if err != nil {
		return nil, err
	}
	return r, Fill(ctx, client, r.EventID)
}

// Fill moves people from the waiting list up, first come first served,
// while the event has places (all of them when it has no limit), and
// notifies each (EVENT_PROMOTED). The caller holds the event's lock.
func Fill(ctx context.Context, client *ent.Client, eventID int) error {
	ctx = audit.Bookkeeping(ctx)
	e, err := client.Event.Get(ctx, eventID)
	if err != nil {
		return err
	}
	waiting := client.EventRegistration.Query().
		Where(eventregistration.EventID(eventID), eventregistration.StatusEQ(eventregistration.StatusWAITLISTED)).
		Order(eventregistration.ByPosition(), eventregistration.ByID())
	if e.Capacity != nil {
		taken, err := takenPlaces(ctx, client, eventID)
		if err != nil || taken >= *e.Capacity {
			return err
		}
		waiting.Limit(*e.Capacity - taken)
	}
	moving, err := waiting.All(ctx)
	if err != nil {
		return err
	}
	for _, w := range moving {
		err := client.EventRegistration.UpdateOne(w).SetStatus(eventregistration.StatusREGISTERED).ClearPosition().Exec(ctx)
		if err == nil {
			err = Notify(ctx, client, w.UserID, notification.KindEVENT_PROMOTED, w.ID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Notify tells a user about a registration once per kind: promoted from
// the waiting list, or reminded of the event.
func Notify(ctx context.Context, client *ent.Client, userID int, kind notification.Kind, registrationID int) error {
	return notify.Users(ctx, client, []int{userID}, notify.Notice{Kind: kind, Actor: notify.Actor(ctx),
		Registration: &registrationID}, false)
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// RecordAttendance records that the person of a registration attended
// (the event's organisers; the policy decides).
func RecordAttendance(ctx context.Context, client *ent.Client, id int) (*ent.EventRegistration, error) {
	r, err := client.EventRegistration.Get(ctx, id)
	if err != nil || r.Status == eventregistration.StatusATTENDED {
		return r, err
	}
	if r.Status == eventregistration.StatusCANCELLED {
		return nil, validation.Errorf("registrationId", "the registration is cancelled")
	}
	if err := lock(ctx, client, r.EventID); err != nil {
		return nil, err
	}
	return client.EventRegistration.UpdateOne(r).SetStatus(eventregistration.StatusATTENDED).
		ClearPosition().SetAttendedAt(time.Now()).Save(ctx)
}

// Tally is how many places of an event are taken and how many people
// wait for one.
type Tally struct{ Registered, Waitlisted int }

// Tallies returns the tally of each event of ids (every registration
// counts, whoever may read it), in one grouped statement.
func Tallies(ctx context.Context, client *ent.Client, ids []int) (map[int]Tally, error) {
	var groups []struct {
		EventID int    `sql:"event_id"`
		Status  string `sql:"status"`
		Count   int    `sql:"count"`
	}
	err := client.EventRegistration.Query().
		Where(eventregistration.EventIDIn(ids...), eventregistration.StatusIn(eventregistration.StatusREGISTERED,
			eventregistration.StatusATTENDED, eventregistration.StatusWAITLISTED)).
		GroupBy(eventregistration.FieldEventID, eventregistration.FieldStatus).Aggregate(ent.Count()).
		Scan(audit.Bookkeeping(ctx), &groups)
	if err != nil {
		return nil, err
	}
	tallies := make(map[int]Tally, len(ids))
	for _, id := range ids {
		tallies[id] = Tally{}
	}
	for _, g := range groups {
		t := tallies[g.EventID]
		if g.Status == eventregistration.StatusWAITLISTED.String() {
			t.Waitlisted += g.Count
		} else {
			t.Registered += g.Count
		}
		tallies[g.EventID] = t
	}
	return tallies, nil
}
