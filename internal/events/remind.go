package events

import (
	"context"
	"log/slog"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/internal/audit"
)

// Remind notifies (EVENT_REMINDER) each registered person of an event that
// starts within the next `within`, once per registration, and returns how
// many it reminded.
func Remind(ctx context.Context, client *ent.Client, now time.Time, within time.Duration) (int, error) {
	ctx = audit.Bookkeeping(ctx)
	due, err := client.EventRegistration.Query().Where(eventregistration.StatusEQ(eventregistration.StatusREGISTERED),
		eventregistration.RemindedAtIsNil(),
		eventregistration.HasEventWith(event.StartsAtGT(now), event.StartsAtLTE(now.Add(within)))).All(ctx)
	if err != nil {
		return 0, err
	}
	for _, r := range due {
		if err := remindOne(ctx, client, r, now); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// remindOne notifies one person and records it, in one transaction.
func remindOne(ctx context.Context, client *ent.Client, r *ent.EventRegistration, now time.Time) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	c := tx.Client()
	err = c.EventRegistration.UpdateOne(r).SetRemindedAt(now).Exec(ctx)
	if err == nil {
		err = Notify(ctx, c, r.UserID, notification.KindEVENT_REMINDER, r.ID)
	}
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// RemindLoop runs Remind every interval for events starting within a day,
// until ctx is done (hub serve).
func RemindLoop(ctx context.Context, client *ent.Client, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := Remind(ctx, client, time.Now(), 24*time.Hour); err != nil && ctx.Err() == nil {
			logger.WarnContext(ctx, "event reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
