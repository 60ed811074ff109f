package live

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// maxReplay bounds what a subscription replays after a cursor; a client
// further behind pages through the query API first.
const maxReplay = 500

// ErrReplayTooLong refuses a subscription whose cursor is more than
// maxReplay posts behind, rather than replaying part and losing the rest.
var ErrReplayTooLong = validation.Errorf("after", "more than %d posts were written after this cursor: "+
	"fetch them with posts(where: {topicID: ...}, after: ...) and subscribe with the last cursor", maxReplay)

// Feed turns committed events into the rows each subscriber may see. It
// subscribes before it replays, so nothing committed in between is lost,
// and it skips live rows already replayed, so nothing is sent twice. Every
// row is loaded through Ent's privacy policies in a viewer context; rows
// for a whole audience (see authz.Audience) are loaded once per event and
// shared, so a post reaches thousands of subscribers with a few queries.
//
// The subscribers of one PubSub topic share one PubSub subscription and one
// goroutine (a fanout, see fanout.go) that decodes each event once and
// hands the row to every subscriber's channel: an idle subscription holds
// no goroutine of the Feed's.
type Feed struct {
	client *ent.Client
	ps     pubsub.PubSub
	logger *slog.Logger
	shared *expirable.LRU[string, any]
	loads  singleflight.Group

	mu      sync.Mutex
	fanouts map[string]*fanout // by PubSub topic

	// delivered, if set, learns how long each event took from its
	// publication to its subscribers here (ObserveDelivery).
	delivered func(kind string, lag time.Duration)
}

// ObserveDelivery makes fn learn, for each event handed to this process's
// subscribers, the kind of its topic ("post", "news", ...) and the time
// from its publication (on any replica) until every subscriber here had
// it queued. Call it before the Feed serves subscriptions.
func (f *Feed) ObserveDelivery(fn func(kind string, lag time.Duration)) { f.delivered = fn }

// Subscriptions returns the number of running subscriptions in this
// process.
func (f *Feed) Subscriptions() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, fo := range f.fanouts {
		fo.mu.Lock()
		n += len(fo.receivers)
		fo.mu.Unlock()
	}
	return n
}

// NewFeed returns a Feed over client and ps.
func NewFeed(client *ent.Client, ps pubsub.PubSub, logger *slog.Logger) *Feed {
	return &Feed{
		client: client, ps: ps, logger: logger,
		shared:  expirable.NewLRU[string, any](10_000, nil, time.Minute),
		fanouts: map[string]*fanout{},
	}
}

// event is the payload of the Hub's events (see the package comment).
type event struct {
	Post     int    `json:"post"`
	Topic    int    `json:"topic"`
	NewsItem int    `json:"newsItem"`
	Op       string `json:"op"`
	Kind     string `json:"kind"`
	Subject  int    `json:"subject"`
	Request  int    `json:"request"`
	// At is when the event was published, Unix milliseconds (see Publish).
	At int64 `json:"at"`
}

// source describes one subscription: its events, whether the viewer may
// subscribe (check), where it starts (begin, optional: run before the
// subscription joins its topic's events), what to replay once it has
// joined (the rows after its start: after a cursor, or committed while it
// joined), which events name a row for this subscriber (accept) and how to
// load that row for the subscriber's audience (load; ok false when the
// audience may not see it). private marks rows that only the subscriber
// may see, whose loads are not shared with the rest of its audience.
type source[T any] struct {
	topic   string
	check   func(ctx context.Context) error
	begin   func(ctx context.Context) error
	replay  func(ctx context.Context) ([]T, error)
	accept  func(ev event) bool
	load    func(ctx context.Context, aud audience, ev event) (row T, ok bool, err error)
	id      func(T) int
	private bool
}

// PostsAdded streams the posts created in a topic the viewer may read,
// first those after the cursor id (when given), then live ones. Live
// events of posts the cursor covers (or, without a cursor, of posts older
// than the subscription) are skipped.
func (f *Feed) PostsAdded(ctx context.Context, topicID int, after *int) (<-chan *ent.Post, error) {
	fromCursor := after != nil
	// written returns the topic's posts after the start.
	written := func() *ent.PostQuery { return f.client.Post.Query().Where(post.TopicID(topicID), post.IDGT(*after)) }
	return stream(ctx, f, source[*ent.Post]{
		topic: TopicPosts(topicID),
		check: func(ctx context.Context) error {
			_, err := f.client.Topic.Get(ctx, topicID)
			return err
		},
		begin: func(ctx context.Context) error {
			if fromCursor {
				return nil
			}
			// Without a cursor the subscription starts now: the newest
			// post's id is the cursor, so a post committed earlier whose
			// event is still in flight is not sent, and one committed
			// while the subscription joins is replayed.
			newest, err := newestID(f.client.Post.Query().Where(post.TopicID(topicID)).Order(ent.Desc(post.FieldID)).FirstID, ctx)
			after = &newest
			return err
		},
		replay: func(ctx context.Context) ([]*ent.Post, error) {
			if !fromCursor {
				if gap, err := anyAfter(written().Exist, ctx); !gap {
					return nil, err
				}
			}
			posts, err := written().WithAuthor().WithTopic().Order(ent.Asc(post.FieldID)).Limit(maxReplay + 1).All(ctx)
			if err == nil && len(posts) > maxReplay {
				return nil, ErrReplayTooLong
			}
			return posts, err
		},
		// The client has what its cursor covers: a late event of an older
		// post (e.g. NOTIFY still in flight) is not sent again.
		accept: func(ev event) bool {
			return ev.Op == OpCreated && ev.Post != 0 && (after == nil || ev.Post > *after)
		},
		load: func(ctx context.Context, aud audience, ev event) (*ent.Post, bool, error) {
			return loadShared(ctx, f, aud, "post", ev.Post, func(ctx context.Context) (*ent.Post, error) {
				return f.client.Post.Query().Where(post.ID(ev.Post)).WithAuthor().WithTopic().Only(ctx)
			})
		},
		id: func(p *ent.Post) int { return p.ID },
	})
}

// TopicsAdded streams the topics created in a category the viewer may read,
// or in every category they may read when categoryID is nil, from the
// subscription on (a late event of an older topic is skipped).
func (f *Feed) TopicsAdded(ctx context.Context, categoryID *int) (<-chan *ent.Topic, error) {
	name, check := AllTopics, noCheck
	if categoryID != nil {
		name = CategoryTopics(*categoryID)
		check = func(ctx context.Context) error {
			_, err := f.client.ForumCategory.Get(ctx, *categoryID)
			return err
		}
	}
	var newest int // topics up to it existed when the subscription started
	// created returns the topics of the subscription created after newest.
	created := func() *ent.TopicQuery {
		q := f.client.Topic.Query().Where(topic.IDGT(newest))
		if categoryID != nil {
			q.Where(topic.CategoryID(*categoryID))
		}
		return q
	}
	return stream(ctx, f, source[*ent.Topic]{
		topic: name,
		check: check,
		begin: func(ctx context.Context) error {
			var err error
			newest, err = newestID(f.client.Topic.Query().Order(ent.Desc(topic.FieldID)).FirstID, ctx)
			return err
		},
		// Topics created while the subscription joined.
		replay: func(ctx context.Context) ([]*ent.Topic, error) {
			if gap, err := anyAfter(created().Exist, ctx); !gap {
				return nil, err
			}
			return created().WithAuthor().WithCategory().Order(ent.Asc(topic.FieldID)).Limit(maxReplay).All(ctx)
		},
		accept: func(ev event) bool { return ev.Op == OpCreated && ev.Topic > newest },
		load: func(ctx context.Context, aud audience, ev event) (*ent.Topic, bool, error) {
			return loadShared(ctx, f, aud, "topic", ev.Topic, func(ctx context.Context) (*ent.Topic, error) {
				return f.client.Topic.Query().Where(topic.ID(ev.Topic)).WithAuthor().WithCategory().Only(ctx)
			})
		},
		id: func(t *ent.Topic) int { return t.ID },
	})
}

// NewsPublished streams news items as they are published.
func (f *Feed) NewsPublished(ctx context.Context) (<-chan *ent.NewsItem, error) {
	return stream(ctx, f, source[*ent.NewsItem]{
		topic:  News,
		check:  noCheck,
		replay: noReplay[*ent.NewsItem],
		accept: func(ev event) bool { return ev.Op == OpPublished && ev.NewsItem != 0 },
		load: func(ctx context.Context, aud audience, ev event) (*ent.NewsItem, bool, error) {
			return loadShared(ctx, f, aud, "news", ev.NewsItem, func(ctx context.Context) (*ent.NewsItem, error) {
				return f.client.NewsItem.Query().Where(newsitem.ID(ev.NewsItem)).WithAuthor().Only(ctx)
			})
		},
		id: func(n *ent.NewsItem) int { return n.ID },
	})
}

// NotificationsAdded streams the new notifications of user userID; the
// privacy policy shows them to that user only, so ctx's viewer must be it.
func (f *Feed) NotificationsAdded(ctx context.Context, userID int) (<-chan *ent.Notification, error) {
	return stream(ctx, f, source[*ent.Notification]{
		topic:  UserNotifications(userID),
		check:  noCheck,
		replay: noReplay[*ent.Notification],
		accept: func(ev event) bool { return ev.Kind != "" && ev.Subject != 0 },
		load: func(ctx context.Context, _ audience, ev event) (*ent.Notification, bool, error) {
			n, err := f.client.Notification.Query().Where(
				notification.RecipientID(userID), notification.KindEQ(notification.Kind(ev.Kind)),
				notification.Or(notification.PostID(ev.Subject), notification.NewsItemID(ev.Subject),
					notification.PartnershipRequestID(ev.Subject)),
			).Only(ctx)
			if ent.IsNotFound(err) {
				return nil, false, nil
			}
			return n, err == nil, err
		},
		id:      func(n *ent.Notification) int { return n.ID },
		private: true,
	})
}

// newestID returns what firstID finds, 0 when there is nothing, looked up
// past the privacy policies: the newest row, visible or not, is only where
// the subscription starts; it is never sent, and every row after it still
// passes the subscriber's policies. (Through the policies the lookup costs
// several times the queries and garbage, for every subscription.)
func newestID(firstID func(context.Context) (int, error), ctx context.Context) (int, error) {
	id, err := firstID(authz.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return 0, nil
	}
	return id, err
}

// anyAfter reports whether exist finds a row, looked up past the privacy
// policies as newestID is: whether a subscription has anything to replay
// at all, which it seldom has when it has no cursor (the rows are then
// read again through the policies).
func anyAfter(exist func(context.Context) (bool, error), ctx context.Context) (bool, error) {
	return exist(authz.SystemContext(ctx))
}

func noCheck(context.Context) error { return nil }

func noReplay[T any](context.Context) ([]T, error) { return nil, nil }

// audience is a subscriber's audience (see authz.Audience): its
// representative viewer and its name. The viewer of a subscription does
// not change, so it is worked out once per subscription rather than per
// event (a walk up the subscription's long context chain).
type audience struct {
	rep  *viewer.Viewer
	name string
}

// audienceOf returns the audience of ctx's viewer.
func audienceOf(ctx context.Context) audience {
	rep, name := authz.Audience(viewer.FromContext(ctx))
	return audience{rep: rep, name: name}
}

// loadShared loads the row of an event once per audience: the first
// subscriber of an audience queries in the audience's viewer context, the
// others share the result (ok false when the audience may not see the
// row). The fanouts of several topics (a category's topics and all topics)
// load the same rows; the cache spares them the repeated queries.
func loadShared[T any](ctx context.Context, f *Feed, aud audience, kind string, id int, query func(context.Context) (T, error)) (row T, ok bool, err error) {
	key := kind + ":" + aud.name + ":" + strconv.Itoa(id)
	if v, hit := f.shared.Get(key); hit {
		row, ok = v.(T)
		return row, ok, nil
	}
	v, err, _ := f.loads.Do(key, func() (any, error) {
		row, err := query(viewer.NewContext(context.WithoutCancel(ctx), aud.rep))
		if ent.IsNotFound(err) {
			f.shared.Add(key, nil)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		f.shared.Add(key, row)
		return row, nil
	})
	row, ok = v.(T)
	return row, ok, err
}
