// Package notify decides who is told of what: it creates the Hub's
// notifications (replies, mentions, news, partnership request steps,
// events' waiting lists and reminders) and
// publishes each to its recipient's live feed.
//
// Notifications are created in the transaction of the event, in a
// bookkeeping context. Each (recipient, kind, subject) exists once: a
// recipient already notified is skipped (and the unique indexes guard
// against concurrent duplicates), so edits and re-publishing never notify
// twice. The actor is never notified, and recipients who could not read
// the subject (disabled users; non-secretariat users for a post in a
// SECRETARIAT category) are not notified.
package notify

import (
	"context"
	"slices"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/hook"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Notice is an event to notify users of: its kind, who caused it and
// exactly one subject (a post, a news item, a partnership request or an
// event registration).
type Notice struct {
	Kind  notification.Kind
	Actor *int
	Post  *int
	Topic *int
	News  *int
	// Request is the partnership request of a REQUEST_* notice.
	Request *int
	// Registration is the event registration of an EVENT_* notice.
	Registration *int
}

// subject returns the id of what the notice is about.
func (n Notice) subject() int {
	switch {
	case n.News != nil:
		return *n.News
	case n.Request != nil:
		return *n.Request
	case n.Registration != nil:
		return *n.Registration
	}
	return *n.Post
}

// subjectIs matches notifications about the notice's subject.
func (n Notice) subjectIs() predicate.Notification {
	switch {
	case n.News != nil:
		return notification.NewsItemID(*n.News)
	case n.Request != nil:
		return notification.PartnershipRequestID(*n.Request)
	case n.Registration != nil:
		return notification.EventRegistrationID(*n.Registration)
	}
	return notification.PostID(*n.Post)
}

// Users creates the notice for each eligible recipient not notified of it
// yet, and publishes each new notification to its recipient. With
// secretariatOnly, only secretariat users are eligible.
func Users(ctx context.Context, client *gen.Client, recipients []int, n Notice, secretariatOnly bool) error {
	ctx = audit.Bookkeeping(ctx)
	recipients, err := freshRecipients(ctx, client, recipients, n, secretariatOnly)
	if err != nil || len(recipients) == 0 {
		return err
	}
	builders := make([]*gen.NotificationCreate, len(recipients))
	for i, id := range recipients {
		builders[i] = client.Notification.Create().SetRecipientID(id).SetKind(n.Kind).SetNillableActorID(n.Actor).
			SetNillablePostID(n.Post).SetNillableTopicID(n.Topic).SetNillableNewsItemID(n.News).
			SetNillablePartnershipRequestID(n.Request).SetNillableEventRegistrationID(n.Registration)
	}
	if err := client.Notification.CreateBulk(builders...).OnConflict(sql.DoNothing()).Exec(ctx); err != nil {
		return err
	}
	for _, id := range recipients {
		payload := map[string]any{"kind": n.Kind, "subject": n.subject()}
		if err := live.Publish(ctx, live.UserNotifications(id), payload); err != nil {
			return err
		}
	}
	return nil
}

// freshRecipients returns the recipients, without the actor, who may be
// told of the notice and have not been yet.
func freshRecipients(ctx context.Context, client *gen.Client, ids []int, n Notice, secretariatOnly bool) ([]int, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	notified, err := client.Notification.Query().
		Where(notification.RecipientIDIn(ids...), notification.KindEQ(n.Kind), n.subjectIs()).
		Select(notification.FieldRecipientID).Ints(ctx)
	if err != nil {
		return nil, err
	}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int) bool {
		return slices.Contains(notified, id) || (n.Actor != nil && id == *n.Actor)
	})
	if len(ids) == 0 {
		return nil, nil
	}
	eligible := []predicate.User{user.IDIn(ids...), user.Disabled(false)}
	if secretariatOnly {
		eligible = append(eligible, user.RoleEQ(user.RoleSECRETARIAT))
	}
	return client.User.Query().Where(eligible...).Order(user.ByID()).IDs(ctx)
}

// Actor returns the signed-in user of ctx as a notice's actor, nil when
// the change is the system's.
func Actor(ctx context.Context) *int {
	if id := viewer.ID(ctx); id != 0 {
		return &id
	}
	return nil
}

// Register installs the notification hooks that are not part of a
// concern of their own on client (and so on every transaction it opens):
// the steps of partnership requests. The forum's and the news' hooks
// (internal/forum) call Post and NewsAudience themselves.
func Register(client *gen.Client) {
	client.PartnershipRequest.Use(afterRequestStep())
}

// afterRequestStep notifies the people concerned of each step a request
// takes (its creation included) and publishes it for the
// partnershipRequestUpdated subscription, once the transaction commits.
func afterRequestStep() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PartnershipRequestFunc(func(ctx context.Context, m *gen.PartnershipRequestMutation) (ent.Value, error) {
			_, moves := m.Status()
			v, err := next.Mutate(ctx, m)
			r, ok := v.(*gen.PartnershipRequest)
			if err != nil || !ok || (!moves && !m.Op().Is(ent.OpCreate)) {
				return v, err
			}
			if err := RequestStep(ctx, m.Client(), r); err != nil {
				return nil, err
			}
			payload := map[string]any{"request": r.ID, "op": live.OpUpdated}
			if err := live.Publish(ctx, live.PartnershipRequest(r.ID), payload); err != nil {
				return nil, err
			}
			return r, live.Publish(ctx, live.PartnershipRequests, payload)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}
