package email

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/emaildelivery"
	"github.com/bridgesoftrust/hub/ent/emailpreference"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Sender e-mails users what their preferences ask for.
type Sender struct {
	Client *ent.Client
	Mailer Mailer
	// From is the sender address, e.g. "Bridges of Trust <hub@example.org>".
	From string
	// BaseURL is the Hub's public address, for links (unsubscribe).
	BaseURL string
	// ViewerOf returns the viewer a user reads as (nil when disabled):
	// new topics are those the user may read.
	ViewerOf func(ctx context.Context, userID int) (*viewer.Viewer, error)
	Logger   *slog.Logger
	// MaxAttempts bounds the sends of one e-mail (default 5).
	MaxAttempts int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// maxItems bounds the items of one kind in one e-mail; the rest wait for
// the next.
const maxItems = 50

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// period is how often an e-mail of f goes to one user.
func period(f emaildelivery.Frequency) time.Duration {
	switch f {
	case emaildelivery.FrequencyDAILY:
		return 24 * time.Hour
	case emaildelivery.FrequencyWEEKLY:
		return 7 * 24 * time.Hour
	}
	return 0
}

// horizon is how far ahead the upcoming events of an e-mail of f look.
func horizon(f emaildelivery.Frequency) time.Duration {
	if f == emaildelivery.FrequencyWEEKLY {
		return 8 * 24 * time.Hour
	}
	return 2 * 24 * time.Hour
}

// Run e-mails every user who has news of frequency f not e-mailed yet (a
// digest at most once per period of f) and returns how many e-mails it
// sent. A user whose e-mail fails is retried by Retry; the others go on.
func (s *Sender) Run(ctx context.Context, f emaildelivery.Frequency) (int, error) {
	ctx = audit.Bookkeeping(ctx)
	users, err := s.Client.User.Query().Where(user.Disabled(false)).Order(user.ByID()).IDs(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range users {
		ok, err := s.runUser(ctx, id, f)
		if err != nil {
			s.Logger.WarnContext(ctx, "e-mail", "user", id, "frequency", f, "err", err)
		}
		if ok && err == nil {
			sent++
		}
	}
	return sent, nil
}

// runUser e-mails one user the news of f, if any; it reports whether an
// e-mail was due.
func (s *Sender) runUser(ctx context.Context, userID int, f emaildelivery.Frequency) (bool, error) {
	if p := period(f); p > 0 {
		recent, err := s.Client.EmailDelivery.Query().Where(emaildelivery.UserID(userID), emaildelivery.FrequencyEQ(f),
			emaildelivery.CreatedAtGT(s.now().Add(-p+5*time.Minute))).Exist(ctx)
		if err != nil || recent {
			return false, err
		}
	}
	items, err := s.collect(ctx, userID, f)
	if err != nil || len(items) == 0 {
		return false, err
	}
	batch, err := s.claim(ctx, userID, f, items)
	if err != nil || batch == "" {
		return false, err
	}
	return true, s.deliver(ctx, batch)
}

// collect returns the builders of the delivery rows of a user's news of f.
func (s *Sender) collect(ctx context.Context, userID int, f emaildelivery.Frequency) ([]*ent.EmailDeliveryCreate, error) {
	prefs, err := Preferences(ctx, s.Client, userID)
	if err != nil {
		return nil, err
	}
	want := emailpreference.Frequency(f)
	var out []*ent.EmailDeliveryCreate
	row := func() *ent.EmailDeliveryCreate {
		return s.Client.EmailDelivery.Create().SetUserID(userID).SetFrequency(f)
	}
	notes, err := s.notifications(ctx, userID, prefs, want)
	if err != nil {
		return nil, err
	}
	for _, id := range notes {
		out = append(out, row().SetNotificationID(id))
	}
	if prefs[emailpreference.KindNEW_TOPICS] == want {
		topics, err := s.newTopics(ctx, userID, f)
		if err != nil {
			return nil, err
		}
		for _, id := range topics {
			out = append(out, row().SetTopicID(id))
		}
	}
	if prefs[emailpreference.KindUPCOMING_EVENTS] == want {
		regs, err := s.upcoming(ctx, userID, f)
		if err != nil {
			return nil, err
		}
		for _, id := range regs {
			out = append(out, row().SetEventRegistrationID(id))
		}
	}
	return out, nil
}

// notDelivered matches the rows of table whose id the user has no
// delivery of in column.
func notDelivered(userID int, column string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		t := sql.Table(emaildelivery.Table)
		s.Where(sql.NotIn(s.C("id"), sql.Select(t.C(column)).From(t).
			Where(sql.And(sql.EQ(t.C(emaildelivery.FieldUserID), userID), sql.NotNull(t.C(column))))))
	}
}

// notifications returns the user's unread notifications, not e-mailed
// yet, of the kinds set to f.
func (s *Sender) notifications(ctx context.Context, userID int, prefs map[emailpreference.Kind]emailpreference.Frequency, f emailpreference.Frequency) ([]int, error) {
	unread, err := s.Client.Notification.Query().Where(notification.RecipientID(userID), notification.ReadAtIsNil(),
		notDelivered(userID, emaildelivery.FieldNotificationID)).
		Order(notification.ByID()).Select(notification.FieldKind).All(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, n := range unread {
		if prefs[KindOf(n.Kind)] == f && len(ids) < maxItems {
			ids = append(ids, n.ID)
		}
	}
	return ids, nil
}

// newTopics returns the topics opened by others in the last period in the
// categories the user follows, that the user may read.
func (s *Sender) newTopics(ctx context.Context, userID int, f emaildelivery.Frequency) ([]int, error) {
	v, err := s.ViewerOf(ctx, userID)
	if err != nil || v == nil {
		return nil, err
	}
	since := s.now().Add(-max(period(f), 24*time.Hour))
	return s.Client.Topic.Query().Where(
		topic.HasCategoryWith(forumcategory.HasFollowersWith(user.ID(userID))),
		topic.CreatedAtGT(since), topic.Or(topic.AuthorIDIsNil(), topic.AuthorIDNEQ(userID)),
		notDelivered(userID, emaildelivery.FieldTopicID)).
		Order(topic.ByID()).Limit(maxItems).IDs(asUser(ctx, v))
}

// asUser returns a context of ctx's lifetime in which v reads, without the
// mailer's system decision, so that the user's rules apply.
func asUser(ctx context.Context, v *viewer.Viewer) context.Context {
	user, cancel := context.WithCancel(viewer.NewContext(context.Background(), v))
	context.AfterFunc(ctx, cancel)
	return user
}

// upcoming returns the user's registrations for events starting within
// the horizon of f, not e-mailed yet.
func (s *Sender) upcoming(ctx context.Context, userID int, f emaildelivery.Frequency) ([]int, error) {
	now := s.now()
	return s.Client.EventRegistration.Query().Where(eventregistration.UserID(userID),
		eventregistration.StatusIn(eventregistration.StatusREGISTERED, eventregistration.StatusWAITLISTED),
		eventregistration.HasEventWith(event.StartsAtGT(now), event.StartsAtLT(now.Add(horizon(f)))),
		notDelivered(userID, emaildelivery.FieldEventRegistrationID)).
		Order(eventregistration.ByID()).Limit(maxItems).IDs(ctx)
}

// claim records the items of one e-mail, in a transaction, before it is
// sent, and returns its batch; "" when another run claimed an item first.
func (s *Sender) claim(ctx context.Context, userID int, f emaildelivery.Frequency, rows []*ent.EmailDeliveryCreate) (string, error) {
	batch := newBatch()
	for _, r := range rows {
		r.SetBatch(batch)
	}
	tx, err := s.Client.Tx(ctx)
	if err != nil {
		return "", err
	}
	if err := tx.Client().EmailDelivery.CreateBulk(rows...).Exec(ctx); err != nil {
		_ = tx.Rollback()
		if ent.IsConstraintError(err) {
			return "", nil
		}
		return "", err
	}
	return batch, tx.Commit()
}

func newBatch() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// deliver sends the e-mail of a batch and records the outcome.
func (s *Sender) deliver(ctx context.Context, batch string) error {
	rows, err := s.Client.EmailDelivery.Query().Where(emaildelivery.Batch(batch)).Order(emaildelivery.ByID()).All(ctx)
	if err != nil || len(rows) == 0 {
		return err
	}
	msg, err := s.message(ctx, rows)
	if err == nil {
		err = s.Mailer.Send(ctx, msg)
	}
	upd := s.Client.EmailDelivery.Update().Where(emaildelivery.Batch(batch)).AddAttempts(1)
	if err != nil {
		text := err.Error()
		if len(text) > 1000 {
			text = text[:1000]
		}
		upd.SetStatus(emaildelivery.StatusFAILED).SetLastError(text)
	} else {
		upd.SetStatus(emaildelivery.StatusSENT).SetSentAt(s.now()).ClearLastError()
	}
	return errors.Join(err, upd.Exec(ctx))
}

// Retry sends again the e-mails that failed (up to MaxAttempts sends)
// and those claimed but not sent for ten minutes (a run that stopped);
// it returns how many it sent.
func (s *Sender) Retry(ctx context.Context) (int, error) {
	ctx = audit.Bookkeeping(ctx)
	maxAttempts := s.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = 5
	}
	batches, err := s.Client.EmailDelivery.Query().Where(emaildelivery.Or(
		emaildelivery.And(emaildelivery.StatusEQ(emaildelivery.StatusFAILED), emaildelivery.AttemptsLT(maxAttempts)),
		emaildelivery.And(emaildelivery.StatusEQ(emaildelivery.StatusPENDING), emaildelivery.CreatedAtLT(s.now().Add(-10*time.Minute))),
	)).Unique(true).Select(emaildelivery.FieldBatch).Strings(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, b := range batches {
		if err := s.deliver(ctx, b); err != nil {
			s.Logger.WarnContext(ctx, "e-mail retry", "batch", b, "err", err)
			continue
		}
		sent++
	}
	return sent, nil
}
