// Package calendar serves events as iCalendar (RFC 5545) files, written
// with github.com/arran4/golang-ical:
//
//	GET /calendar/events/{id}.ics      one event, as the caller may see it
//	GET /calendar/users/{token}.ics    a user's feed: the events they are
//	                                   registered for, waitlisted included
//
// Each session is a VEVENT (UTC times; the session's IANA zone is in
// X-WR-TIMEZONE of a single event's file). The user feed needs no
// sign-in: its address carries a signed token (internal/signedlink) that
// calendar apps keep, and it shows what the user may see.
package calendar

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/eventsession"
	"github.com/bridgesoftrust/hub/internal/signedlink"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// ViewerOf loads the viewer a feed's user id reads as (nil when the
// account is disabled): internal/auth's Reload with the read scope.
type ViewerOf func(ctx context.Context, userID int) (*viewer.Viewer, error)

// Handler serves the calendar files over client; requests to the event
// file carry their viewer (auth middleware), the feed's is viewerOf's.
func Handler(client *ent.Client, viewerOf ViewerOf, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /calendar/events/{file}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := icsName(r.PathValue("file"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		evs, err := client.Event.Query().Where(event.ID(id)).WithSessions().All(r.Context())
		serve(w, r, logger, evs, err, fmt.Sprintf("event-%d", id))
	})
	mux.HandleFunc("GET /calendar/users/{file}", func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutSuffix(r.PathValue("file"), ".ics")
		userID, _, err := signedlink.Check(signedlink.Calendar, token)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		v, err := viewerOf(r.Context(), userID)
		if err != nil || v == nil {
			http.Error(w, signedlink.ErrInvalid.Error(), http.StatusNotFound)
			return
		}
		evs, err := UserEvents(viewer.NewContext(r.Context(), v), client, userID)
		serve(w, r, logger, evs, err, "my-events")
	})
	return mux
}

// icsName parses "<id>.ics".
func icsName(file string) (int, bool) {
	s, ok := strings.CutSuffix(file, ".ics")
	id, err := strconv.Atoi(s)
	return id, ok && err == nil && id > 0
}

// UserEvents returns the events a user is registered for or waiting for,
// with their sessions, as ctx's viewer may see them.
func UserEvents(ctx context.Context, client *ent.Client, userID int) ([]*ent.Event, error) {
	return client.Event.Query().Where(event.HasRegistrationsWith(eventregistration.UserID(userID),
		eventregistration.StatusIn(eventregistration.StatusREGISTERED, eventregistration.StatusWAITLISTED, eventregistration.StatusATTENDED))).
		WithSessions(func(q *ent.EventSessionQuery) { q.Order(eventsession.ByStartsAt()) }).
		Order(event.ByStartsAt()).All(ctx)
}

func serve(w http.ResponseWriter, r *http.Request, logger *slog.Logger, evs []*ent.Event, err error, name string) {
	switch {
	case err != nil:
		logger.ErrorContext(r.Context(), "calendar", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	case len(evs) == 0 && name != "my-events":
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Content-Disposition", `inline; filename="`+name+`.ics"`)
		w.Header().Set("Cache-Control", "private, max-age=300")
		_ = Build(evs, time.Now()).SerializeTo(w)
	}
}

// Build returns the calendar of events (sessions loaded), stamped now.
func Build(evs []*ent.Event, now time.Time) *ics.Calendar {
	cal := ics.NewCalendarFor("Bridges of Trust Hub")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName("Bridges of Trust")
	if len(evs) == 1 {
		cal.SetXWRCalName(evs[0].Title)
		cal.SetXWRTimezone(evs[0].TimeZone)
	}
	for _, e := range evs {
		for _, s := range e.Edges.Sessions {
			addSession(cal, e, s, now)
		}
	}
	return cal
}

func addSession(cal *ics.Calendar, e *ent.Event, s *ent.EventSession, now time.Time) {
	ve := cal.AddEvent(fmt.Sprintf("event-session-%d@bridgesoftrust.hub", s.ID))
	ve.SetDtStampTime(now)
	ve.SetModifiedAt(s.UpdatedAt)
	ve.SetStartAt(s.StartsAt)
	ve.SetEndAt(s.EndsAt)
	summary := e.Title
	if s.Title != "" {
		summary += ": " + s.Title
	}
	ve.SetSummary(summary)
	if e.Description != "" {
		ve.SetDescription(e.Description)
	}
	switch {
	case s.Place != "":
		ve.SetLocation(s.Place)
	case s.OnlineURL != "":
		ve.SetLocation(s.OnlineURL)
	}
	if s.OnlineURL != "" {
		ve.SetURL(s.OnlineURL)
	}
	ve.SetProperty(ics.ComponentPropertyCategories, string(e.Kind))
}
