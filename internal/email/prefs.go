// Package email e-mails users about what happens in the Hub: at once for
// the kinds they want immediately, else in daily or weekly digests of
// their unread notifications, new topics in the forum categories they
// follow and their upcoming events, in their language, through SMTP
// (github.com/wneessen/go-mail). Every item is recorded (ent
// EmailDelivery) before its e-mail is sent, once per user, so nothing is
// e-mailed twice; failed sends are retried. Each e-mail carries a
// one-click unsubscribe (RFC 8058) served by Handler. See docs/email.md.
package email

import (
	"context"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/emailpreference"
	"github.com/bridgesoftrust/hub/ent/notification"
)

// Kinds are the kinds of news a preference is set for, in order.
var Kinds = []emailpreference.Kind{emailpreference.KindREPLY, emailpreference.KindMENTION, emailpreference.KindNEWS,
	emailpreference.KindREQUEST, emailpreference.KindEVENT, emailpreference.KindNEW_TOPICS, emailpreference.KindUPCOMING_EVENTS}

// DefaultFrequency is how often a kind is e-mailed when the user has not
// chosen: promotions from a waiting list and reminders at once, the rest
// in the daily digest.
func DefaultFrequency(kind emailpreference.Kind) emailpreference.Frequency {
	if kind == emailpreference.KindEVENT {
		return emailpreference.FrequencyIMMEDIATE
	}
	return emailpreference.FrequencyDAILY
}

// KindOf returns the preference kind of a notification kind.
func KindOf(k notification.Kind) emailpreference.Kind {
	s := string(k)
	switch {
	case strings.HasPrefix(s, "REQUEST_"):
		return emailpreference.KindREQUEST
	case strings.HasPrefix(s, "EVENT_"):
		return emailpreference.KindEVENT
	}
	return emailpreference.Kind(s)
}

// Preferences returns the frequency of every kind for a user, defaults
// included. ctx must be allowed to read the user's preferences.
func Preferences(ctx context.Context, client *ent.Client, userID int) (map[emailpreference.Kind]emailpreference.Frequency, error) {
	rows, err := client.EmailPreference.Query().Where(emailpreference.UserID(userID)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[emailpreference.Kind]emailpreference.Frequency, len(Kinds))
	for _, k := range Kinds {
		out[k] = DefaultFrequency(k)
	}
	for _, r := range rows {
		out[r.Kind] = r.Frequency
	}
	return out, nil
}

// SetPreference sets how often a user is e-mailed about a kind. ctx must
// be allowed to write the user's preferences.
func SetPreference(ctx context.Context, client *ent.Client, userID int, kind emailpreference.Kind, f emailpreference.Frequency) error {
	return client.EmailPreference.Create().SetUserID(userID).SetKind(kind).SetFrequency(f).
		OnConflictColumns(emailpreference.FieldUserID, emailpreference.FieldKind).
		Update(func(u *ent.EmailPreferenceUpsert) { u.UpdateFrequency(); u.UpdateUpdatedAt() }).Exec(ctx)
}

// location returns the time zone named tz, or UTC.
func location(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.UTC
}
