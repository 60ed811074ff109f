package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync/atomic"
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
type Feed struct {
	client *ent.Client
	ps     pubsub.PubSub
	logger *slog.Logger
	shared *expirable.LRU[string, any]
	loads  singleflight.Group
	last   atomic.Pointer[decoded]
}

// NewFeed returns a Feed over client and ps.
func NewFeed(client *ent.Client, ps pubsub.PubSub, logger *slog.Logger) *Feed {
	return &Feed{client: client, ps: ps, logger: logger, shared: expirable.NewLRU[string, any](10_000, nil, time.Minute)}
}

// event is the payload of the Hub's events (see the package comment).
type event struct {
	Post     int    `json:"post"`
	Topic    int    `json:"topic"`
	NewsItem int    `json:"newsItem"`
	Op       string `json:"op"`
	Kind     string `json:"kind"`
	Subject  int    `json:"subject"`
}

// source describes one subscription: its events, whether the viewer may
// subscribe (check), how to replay after a cursor and how to load the row
// an event names for the subscriber's audience.
type source[T any] struct {
	topic  string
	check  func(ctx context.Context) error
	replay func(ctx context.Context) ([]T, error)
	load   func(ctx context.Context, aud audience, ev event) (row T, id int, ok bool, err error)
	id     func(T) int
}

// PostsAdded streams the posts created in a topic the viewer may read,
// first those after the cursor id (when given), then live ones. Live
// events of posts the cursor covers (or, without a cursor, of posts older
// than the subscription) are skipped.
func (f *Feed) PostsAdded(ctx context.Context, topicID int, after *int) (<-chan *ent.Post, error) {
	return stream(ctx, f, source[*ent.Post]{
		topic: TopicPosts(topicID),
		check: func(ctx context.Context) error {
			_, err := f.client.Topic.Get(ctx, topicID)
			return err
		},
		replay: func(ctx context.Context) ([]*ent.Post, error) {
			if after == nil {
				// Without a cursor the subscription starts now: the newest
				// post's id is the cursor, so a post committed earlier whose
				// event is still in flight is not sent.
				newest, err := f.client.Post.Query().Where(post.TopicID(topicID)).Order(ent.Desc(post.FieldID)).FirstID(ctx)
				if err != nil && !ent.IsNotFound(err) {
					return nil, err
				}
				after = &newest
				return nil, nil
			}
			posts, err := f.client.Post.Query().Where(post.TopicID(topicID), post.IDGT(*after)).
				WithAuthor().WithTopic().Order(ent.Asc(post.FieldID)).Limit(maxReplay + 1).All(ctx)
			if err == nil && len(posts) > maxReplay {
				return nil, ErrReplayTooLong
			}
			return posts, err
		},
		load: func(ctx context.Context, aud audience, ev event) (*ent.Post, int, bool, error) {
			// The client has what its cursor covers: a late event of an
			// older post (e.g. NOTIFY still in flight) is not sent again.
			if ev.Op != OpCreated || ev.Post == 0 || (after != nil && ev.Post <= *after) {
				return nil, 0, false, nil
			}
			p, err := loadShared(ctx, f, aud, "post", ev.Post, func(ctx context.Context) (*ent.Post, error) {
				return f.client.Post.Query().Where(post.ID(ev.Post)).WithAuthor().WithTopic().Only(ctx)
			})
			return p, ev.Post, p != nil, err
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
	return stream(ctx, f, source[*ent.Topic]{
		topic: name,
		check: check,
		replay: func(ctx context.Context) ([]*ent.Topic, error) {
			var err error
			newest, err = f.client.Topic.Query().Order(ent.Desc(topic.FieldID)).FirstID(ctx)
			if ent.IsNotFound(err) {
				err = nil
			}
			return nil, err
		},
		load: func(ctx context.Context, aud audience, ev event) (*ent.Topic, int, bool, error) {
			if ev.Op != OpCreated || ev.Topic <= newest {
				return nil, 0, false, nil
			}
			t, err := loadShared(ctx, f, aud, "topic", ev.Topic, func(ctx context.Context) (*ent.Topic, error) {
				return f.client.Topic.Query().Where(topic.ID(ev.Topic)).WithAuthor().WithCategory().Only(ctx)
			})
			return t, ev.Topic, t != nil, err
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
		load: func(ctx context.Context, aud audience, ev event) (*ent.NewsItem, int, bool, error) {
			if ev.Op != OpPublished || ev.NewsItem == 0 {
				return nil, 0, false, nil
			}
			n, err := loadShared(ctx, f, aud, "news", ev.NewsItem, func(ctx context.Context) (*ent.NewsItem, error) {
				return f.client.NewsItem.Query().Where(newsitem.ID(ev.NewsItem)).WithAuthor().Only(ctx)
			})
			return n, ev.NewsItem, n != nil, err
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
		load: func(ctx context.Context, _ audience, ev event) (*ent.Notification, int, bool, error) {
			n, err := f.client.Notification.Query().Where(
				notification.RecipientID(userID), notification.KindEQ(notification.Kind(ev.Kind)),
				notification.Or(notification.PostID(ev.Subject), notification.NewsItemID(ev.Subject)),
			).Only(ctx)
			if ent.IsNotFound(err) {
				return nil, 0, false, nil
			}
			if err != nil {
				return nil, 0, false, err
			}
			return n, n.ID, true, nil
		},
		id: func(n *ent.Notification) int { return n.ID },
	})
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
// others share the result (nil when the audience may not see the row).
func loadShared[T any](ctx context.Context, f *Feed, aud audience, kind string, id int, query func(context.Context) (T, error)) (T, error) {
	key := kind + ":" + aud.name + ":" + strconv.Itoa(id)
	var zero T
	if v, ok := f.shared.Get(key); ok {
		row, _ := v.(T)
		return row, nil
	}
	v, err, _ := f.loads.Do(key, func() (any, error) {
		row, err := query(viewer.NewContext(context.WithoutCancel(ctx), aud.rep))
		if ent.IsNotFound(err) {
			f.shared.Add(key, zero)
			return zero, nil
		}
		if err != nil {
			return zero, err
		}
		f.shared.Add(key, row)
		return row, nil
	})
	row, _ := v.(T)
	return row, err
}

// stream checks that the viewer may subscribe, subscribes to src.topic,
// then sends the replayed rows and the live ones on the returned channel
// until ctx ends or the subscription is dropped (a slow consumer); then it
// closes the channel.
func stream[T any](ctx context.Context, f *Feed, src source[T]) (<-chan T, error) {
	var (
		sub      *pubsub.Subscription
		replayed []T
		err      error
	)
	onFreshStack(func() { sub, replayed, err = start(ctx, f, src) })
	if err != nil {
		return nil, err
	}
	out := make(chan T, 1)
	go func() {
		defer close(out)
		defer sub.Close()
		sent := make(map[int]bool, len(replayed))
		for _, row := range replayed {
			sent[src.id(row)] = true
			if !send(ctx, out, row) {
				return
			}
		}
		forward(ctx, f, sub, src, sent, out)
	}()
	return out, nil
}

// start checks that the viewer may subscribe, subscribes (before the
// replay, so that nothing committed in between is lost) and replays.
func start[T any](ctx context.Context, f *Feed, src source[T]) (*pubsub.Subscription, []T, error) {
	if err := src.check(ctx); err != nil {
		return nil, nil, err
	}
	sub, err := f.ps.Subscribe(ctx, src.topic)
	if err != nil {
		return nil, nil, err
	}
	replayed, err := src.replay(ctx)
	if err != nil {
		sub.Close()
		return nil, nil, err
	}
	return sub, replayed, nil
}

// onFreshStack runs fn on a short-lived goroutine and waits for it; a
// panic in fn is raised again in the caller (where gqlgen recovers it).
// The queries that start a subscription grow the stack of the goroutine
// that runs them; the resolver's goroutine lives as long as the
// subscription, and an idle goroutine's stack only shrinks while it uses
// less than a quarter of it, so running them there costs every idle
// subscription about 4 KiB more (see BenchmarkIdleSubscribedConnection in
// graph/subscriptiontest).
func onFreshStack(fn func()) {
	var panicked any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		fn()
	}()
	<-done
	if panicked != nil {
		panic(panicked)
	}
}

// forward sends the rows of live events that the subscriber may see,
// except those already replayed (the replay and the live events overlap;
// each event arrives once, so only replayed ids need remembering).
func forward[T any](ctx context.Context, f *Feed, sub *pubsub.Subscription, src source[T], replayed map[int]bool, out chan<- T) {
	aud := audienceOf(ctx)
	for ev := range sub.C {
		payload, err := f.decode(ev.Payload)
		if err != nil {
			f.logger.WarnContext(ctx, "undecodable event", "topic", ev.Topic, "err", err)
			continue
		}
		row, id, ok, err := src.load(ctx, aud, payload)
		if err != nil {
			f.logger.ErrorContext(ctx, "loading a subscription's row", "topic", ev.Topic, "err", err)
			continue
		}
		if !ok || replayed[id] {
			continue
		}
		if !send(ctx, out, row) {
			return
		}
	}
	if err := sub.Err(); err != nil && ctx.Err() == nil {
		f.logger.InfoContext(ctx, "subscription ended", "topic", src.topic, "err", err)
	}
}

// decoded is an event payload and its decoding.
type decoded struct {
	raw string
	ev  event
}

// decode decodes an event payload. Every subscriber of a topic receives
// the same event, so thousands decode the same bytes one after another:
// the last payload decoded is kept and reused while the bytes match.
func (f *Feed) decode(raw []byte) (event, error) {
	if d := f.last.Load(); d != nil && d.raw == string(raw) {
		return d.ev, nil
	}
	var ev event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return event{}, err
	}
	f.last.Store(&decoded{raw: string(raw), ev: ev})
	return ev, nil
}

// send delivers row unless ctx ends first.
func send[T any](ctx context.Context, out chan<- T, row T) bool {
	select {
	case out <- row:
		return true
	case <-ctx.Done():
		return false
	}
}
