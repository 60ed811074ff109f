package schema

import (
	"context"
	"slices"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/hook"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/live"
)

// Notifications are created here, in the transaction of the event, in a
// bookkeeping context. Each (recipient, kind, subject) exists once: a
// recipient already notified is skipped (and the unique indexes guard
// against concurrent duplicates), so edits and re-publishing never notify
// twice. The actor is never notified, and recipients who could not read
// the subject (disabled users; non-secretariat users for a post in a
// SECRETARIAT category) are not notified.

// notice is an event to notify users of.
type notice struct {
	kind  notification.Kind
	actor *int
	post  *int
	topic *int
	news  *int
	// request is the partnership request of a REQUEST_* notice.
	request *int
}

// subject returns the id of what the notice is about.
func (n notice) subject() int {
	switch {
	case n.news != nil:
		return *n.news
	case n.request != nil:
		return *n.request
	}
	return *n.post
}

// notifyPost notifies of a new or edited post: on creation the authors of
// the topic and of the post it answers (REPLY), and the users its body
// mentions (MENTION) unless they get a REPLY for it.
func notifyPost(ctx context.Context, client *gen.Client, p *gen.Post, created bool, mentioned []int) error {
	ctx = bookkeeping(ctx)
	t, err := client.Topic.Query().Where(topic.ID(p.TopicID)).WithCategory().Only(ctx)
	if err != nil {
		return err
	}
	repliedTo, err := replyRecipients(ctx, client, p, t)
	if err != nil {
		return err
	}
	n := notice{actor: p.AuthorID, post: &p.ID, topic: &p.TopicID}
	secretariatOnly := t.Edges.Category.Visibility == forumcategory.VisibilitySECRETARIAT
	if created {
		n.kind = notification.KindREPLY
		if err := notify(ctx, client, repliedTo, n, secretariatOnly); err != nil {
			return err
		}
	}
	n.kind = notification.KindMENTION
	mentioned = slices.DeleteFunc(slices.Clone(mentioned), func(id int) bool { return slices.Contains(repliedTo, id) })
	return notify(ctx, client, mentioned, n, secretariatOnly)
}

// replyRecipients returns the authors of the topic and of the post p
// answers, other than p's opening of the topic itself.
func replyRecipients(ctx context.Context, client *gen.Client, p *gen.Post, t *gen.Topic) ([]int, error) {
	var ids []int
	opening, err := isOpeningPost(ctx, client, p)
	if err != nil || opening {
		return nil, err
	}
	if t.AuthorID != nil {
		ids = append(ids, *t.AuthorID)
	}
	if p.ReplyToID != nil {
		parent, err := client.Post.Get(ctx, *p.ReplyToID)
		if err != nil {
			return nil, err
		}
		if parent.AuthorID != nil {
			ids = append(ids, *parent.AuthorID)
		}
	}
	return ids, nil
}

// afterNewsWrite notifies the audience of a published news item and
// publishes the change.
func afterNewsWrite() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.NewsItemFunc(func(ctx context.Context, m *gen.NewsItemMutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			item, ok := v.(*gen.NewsItem)
			if err != nil || !ok || item.Status != newsitem.StatusPUBLISHED {
				return v, err
			}
			if err := notifyNewsAudience(ctx, m.Client(), item); err != nil {
				return nil, err
			}
			op := live.OpUpdated
			if _, publishing := m.Status(); publishing {
				op = live.OpPublished
			}
			return item, live.Publish(ctx, live.News, map[string]any{"newsItem": item.ID, "op": op})
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// notifyNewsAudience notifies the staff of the municipalities a published
// news item links, directly or through a partnership, once per item.
func notifyNewsAudience(ctx context.Context, client *gen.Client, item *gen.NewsItem) error {
	ctx = bookkeeping(ctx)
	municipalities, err := newsMunicipalities(ctx, client, item)
	if err != nil || len(municipalities) == 0 {
		return err
	}
	staff, err := client.User.Query().
		Where(user.HasMembershipsWith(membership.MunicipalityIDIn(municipalities...))).IDs(ctx)
	if err != nil {
		return err
	}
	actor := viewerID(ctx)
	return notify(ctx, client, staff, notice{kind: notification.KindNEWS, actor: nilIfZero(actor), news: &item.ID}, false)
}

// newsMunicipalities returns the ids of the municipalities a news item
// links and of both municipalities of each partnership it links.
func newsMunicipalities(ctx context.Context, client *gen.Client, item *gen.NewsItem) ([]int, error) {
	ids, err := client.NewsItem.QueryMunicipalities(item).IDs(ctx)
	if err != nil {
		return nil, err
	}
	partnerships, err := client.NewsItem.QueryPartnerships(item).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range partnerships {
		ids = append(ids, p.UkrainianMunicipalityID, p.EuropeanMunicipalityID)
	}
	return ids, nil
}

// notify creates the notice for each eligible recipient not notified of
// it yet, and publishes each new notification to its recipient.
func notify(ctx context.Context, client *gen.Client, recipients []int, n notice, secretariatOnly bool) error {
	recipients, err := freshRecipients(ctx, client, recipients, n, secretariatOnly)
	if err != nil || len(recipients) == 0 {
		return err
	}
	builders := make([]*gen.NotificationCreate, len(recipients))
	for i, id := range recipients {
		builders[i] = client.Notification.Create().SetRecipientID(id).SetKind(n.kind).SetNillableActorID(n.actor).
			SetNillablePostID(n.post).SetNillableTopicID(n.topic).SetNillableNewsItemID(n.news).
			SetNillablePartnershipRequestID(n.request)
	}
	if err := client.Notification.CreateBulk(builders...).OnConflict(sql.DoNothing()).Exec(ctx); err != nil {
		return err
	}
	for _, id := range recipients {
		payload := map[string]any{"kind": n.kind, "subject": n.subject()}
		if err := live.Publish(ctx, live.UserNotifications(id), payload); err != nil {
			return err
		}
	}
	return nil
}

// freshRecipients returns the recipients, without the actor, who may be
// told of the notice and have not been yet.
func freshRecipients(ctx context.Context, client *gen.Client, ids []int, n notice, secretariatOnly bool) ([]int, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	notified, err := client.Notification.Query().
		Where(notification.RecipientIDIn(ids...), notification.KindEQ(n.kind), subjectIs(n)).
		Select(notification.FieldRecipientID).Ints(ctx)
	if err != nil {
		return nil, err
	}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int) bool {
		return slices.Contains(notified, id) || (n.actor != nil && id == *n.actor)
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

// subjectIs matches notifications about the notice's subject.
func subjectIs(n notice) predicate.Notification {
	switch {
	case n.news != nil:
		return notification.NewsItemID(*n.news)
	case n.request != nil:
		return notification.PartnershipRequestID(*n.request)
	}
	return notification.PostID(*n.post)
}

func nilIfZero(id int) *int {
	if id == 0 {
		return nil
	}
	return &id
}

// stampPublication records when a news item is first published.
func stampPublication() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.NewsItemFunc(func(ctx context.Context, m *gen.NewsItemMutation) (ent.Value, error) {
			status, ok := m.Status()
			_, stamped := m.PublishedAt()
			if !ok || status != newsitem.StatusPUBLISHED || stamped {
				return next.Mutate(ctx, m)
			}
			published := false
			if m.Op().Is(ent.OpUpdateOne) {
				old, err := m.OldPublishedAt(bookkeeping(ctx))
				if err != nil {
					return nil, err
				}
				published = old != nil
			}
			if !published {
				m.SetPublishedAt(time.Now())
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}
