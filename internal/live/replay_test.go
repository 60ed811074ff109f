package live_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// TestReplayRefusesACursorTooFarBehind checks that postAdded with a cursor
// more than 500 posts behind is refused as a whole, naming the after
// argument, instead of replaying 500 posts and silently losing the rest;
// 500 behind is replayed in full.
func TestReplayRefusesACursorTooFarBehind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		topic, posts := topicWithPosts(t, ctx, store, 502)
		feed := live.NewFeed(store.Client, pubsub.NewBroker(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		reader, cancel := context.WithCancel(viewer.NewContext(context.Background(), &viewer.Viewer{Role: viewer.RoleSecretariat}))
		defer cancel()

		tooFar := posts[0].ID // 501 posts after it
		if _, err := feed.PostsAdded(reader, topic.ID, &tooFar); !errors.Is(err, live.ErrReplayTooLong) {
			t.Fatalf("cursor 501 posts behind: %v, want ErrReplayTooLong", err)
		}
		justEnough := posts[1].ID // 500 posts after it
		ch, err := feed.PostsAdded(reader, topic.ID, &justEnough)
		if err != nil {
			t.Fatalf("cursor 500 posts behind: %v", err)
		}
		for i := 2; i < len(posts); i++ {
			if got := <-ch; got.ID != posts[i].ID {
				t.Fatalf("replayed post %d, want %d", got.ID, posts[i].ID)
			}
		}
	})
}

// topicWithPosts creates a public topic with n posts, in creation order.
func topicWithPosts(t *testing.T, ctx context.Context, store *db.Store, n int) (*ent.Topic, []*ent.Post) {
	t.Helper()
	c := store.Client
	author := c.User.Create().SetEmail("author@example.org").SetDisplayName("Author").SaveX(ctx)
	category := c.ForumCategory.Create().SetName("General").SetSlug("general").SaveX(ctx)
	topic := c.Topic.Create().SetTitle("Water").SetCategory(category).SetAuthor(author).SaveX(ctx)
	builders := make([]*ent.PostCreate, n)
	for i := range builders {
		builders[i] = c.Post.Create().SetTopic(topic).SetAuthor(author).SetBody("post")
	}
	return topic, c.Post.CreateBulk(builders...).SaveX(ctx)
}

// TestLateEventsOfCoveredPostsAreNotSentAgain checks that a live event of a
// post the client's cursor already covers (an older post whose event was
// still in flight when the client subscribed) is skipped, while a newer
// post's event is delivered.
func TestLateEventsOfCoveredPostsAreNotSentAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		topic, posts := topicWithPosts(t, ctx, store, 3)
		broker := pubsub.NewBroker()
		feed := live.NewFeed(store.Client, broker, slog.New(slog.NewTextHandler(io.Discard, nil)))
		reader, cancel := context.WithCancel(viewer.NewContext(context.Background(), &viewer.Viewer{Role: viewer.RoleSecretariat}))
		defer cancel()
		after := posts[2].ID
		ch, err := feed.PostsAdded(reader, topic.ID, &after)
		if err != nil {
			t.Fatal(err)
		}
		newer := store.Client.Post.Create().SetTopicID(topic.ID).SetAuthorID(*posts[0].AuthorID).SetBody("newer").SaveX(ctx)
		for _, id := range []int{posts[1].ID, newer.ID} {
			payload := []byte(`{"post":` + strconv.Itoa(id) + `,"op":"created"}`)
			if err := broker.Publish(ctx, pubsub.Event{Topic: live.TopicPosts(topic.ID), Payload: payload}); err != nil {
				t.Fatal(err)
			}
		}
		if got := <-ch; got.ID != newer.ID {
			t.Errorf("delivered post %d, want only the newer post %d (the cursor covers %d)", got.ID, newer.ID, posts[1].ID)
		}
	})
}

// TestReplayThatFillsTheChannelGoesLive checks that a subscriber whose
// replay exactly fills its channel, because its reader is busy, still gets
// the live posts that follow, in order, once it reads again: a reader that
// is briefly behind when its replay ends is not ended as a slow consumer.
func TestReplayThatFillsTheChannelGoesLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		broker := pubsub.NewBroker()
		defer broker.Close()
		f := newFeedFixture(t, store, broker, broker)
		probe, err := f.feed.PostsAdded(reader(t), f.topic.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		replayed := cap(probe) // exactly what a subscription's channel holds
		opening := store.Client.Post.Query().FirstIDX(authz.SystemContext(context.Background()))
		for range replayed {
			f.post(t)
		}
		ch, err := f.feed.PostsAdded(reader(t), f.topic.ID, &opening)
		if err != nil {
			t.Fatal(err)
		}
		// The reader is busy: the replay fills the channel. Give the replay
		// a moment to go live, so that the live posts find the channel full.
		waitUntil(t, "the replay to fill the channel", func() bool { return len(ch) == replayed })
		time.Sleep(20 * time.Millisecond)
		var live []int
		for range 5 {
			live = append(live, f.post(t))
		}
		for i := range replayed + len(live) {
			p, ok := receive(t, ch)
			if !ok {
				t.Fatalf("the subscription ended after %d posts, want %d replayed and %d live", i, replayed, len(live))
			}
			if i >= replayed && p.ID != live[i-replayed] {
				t.Fatalf("live post %d is %d, want %d", i-replayed, p.ID, live[i-replayed])
			}
		}
	})
}

// joiningPubSub runs during before each Subscribe: a commit that lands
// while a subscription joins its topic's events, too early for them.
type joiningPubSub struct {
	pubsub.PubSub
	during func()
}

func (j *joiningPubSub) Subscribe(ctx context.Context, topic string) (*pubsub.Subscription, error) {
	j.during()
	return j.PubSub.Subscribe(ctx, topic)
}

// TestRowsCommittedWhileJoiningAreDelivered checks that a post or a topic
// committed while a subscription without a cursor joins its events (after
// the subscription started, before its live events flow) is delivered
// once, and that what existed before is not.
func TestRowsCommittedWhileJoiningAreDelivered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		broker := pubsub.NewBroker()
		defer broker.Close()
		joining := &joiningPubSub{PubSub: broker}
		f := newFeedFixture(t, store, joining, broker)
		var early int
		joining.during = func() { early = f.post(t) }
		posts, err := f.feed.PostsAdded(reader(t), f.topic.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		joining.during = func() {}
		later := f.post(t)
		for _, want := range []int{early, later} {
			p, ok := receive(t, posts)
			if !ok {
				t.Fatalf("the subscription ended, want post %d", want)
			}
			if p.ID != want {
				t.Fatalf("received post %d, want %d (committed while joining: %d)", p.ID, want, early)
			}
		}

		ctx := authz.SystemContext(context.Background())
		newTopic := func(title string) int {
			return store.Client.Topic.Create().SetTitle(title).SetCategoryID(f.topic.CategoryID).SetAuthorID(f.author).SaveX(ctx).ID
		}
		joining.during = func() { early = newTopic("while joining") }
		topics, err := f.feed.TopicsAdded(reader(t), &f.topic.CategoryID)
		if err != nil {
			t.Fatal(err)
		}
		tp, ok := receive(t, topics)
		if !ok {
			t.Fatalf("the subscription ended, want topic %d", early)
		}
		if tp.ID != early {
			t.Fatalf("received topic %d, want %d, committed while joining", tp.ID, early)
		}
	})
}
