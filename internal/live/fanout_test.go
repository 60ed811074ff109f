package live_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync/atomic"
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

// countingPubSub counts the subscriptions made through it.
type countingPubSub struct {
	pubsub.PubSub
	made atomic.Int64
}

func (c *countingPubSub) Subscribe(ctx context.Context, topic string) (*pubsub.Subscription, error) {
	c.made.Add(1)
	return c.PubSub.Subscribe(ctx, topic)
}

// feedFixture is a Feed over a broker, a public topic and a secretariat
// reader's context.
type feedFixture struct {
	store  *db.Store
	broker *pubsub.Broker
	feed   *live.Feed
	topic  *ent.Topic
	author int
}

func newFeedFixture(t *testing.T, store *db.Store, ps pubsub.PubSub, broker *pubsub.Broker) feedFixture {
	t.Helper()
	topic, posts := topicWithPosts(t, authz.SystemContext(context.Background()), store, 1)
	return feedFixture{
		store: store, broker: broker, topic: topic, author: *posts[0].AuthorID,
		feed: live.NewFeed(store.Client, ps, slog.New(slog.NewTextHandler(io.Discard, nil))),
	}
}

// reader returns a secretariat context, cancelled at the end of the test.
func reader(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(viewer.NewContext(context.Background(), &viewer.Viewer{Role: viewer.RoleSecretariat}))
	t.Cleanup(cancel)
	return ctx
}

// post creates a post and publishes its event, as a committed createPost
// does.
func (f feedFixture) post(t *testing.T) int {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	p := f.store.Client.Post.Create().SetTopicID(f.topic.ID).SetAuthorID(f.author).SetBody("post").SaveX(ctx)
	payload := []byte(`{"post":` + strconv.Itoa(p.ID) + `,"op":"created"}`)
	if err := f.broker.Publish(ctx, pubsub.Event{Topic: live.TopicPosts(f.topic.ID), Payload: payload}); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// receive reads the next row or fails after a hang guard.
func receive[T any](t *testing.T, ch <-chan T) (row T, ok bool) {
	t.Helper()
	select {
	case row, ok = <-ch:
		return row, ok
	case <-time.After(5 * time.Second):
		t.Fatal("nothing received within 5s")
		return row, false
	}
}

// TestSubscribersOfATopicShareOneStream checks that the subscribers of one
// topic share one PubSub subscription, that each receives every post, that
// each ends with its context and the shared subscription with the last.
func TestSubscribersOfATopicShareOneStream(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		broker := pubsub.NewBroker()
		defer broker.Close()
		counting := &countingPubSub{PubSub: broker}
		f := newFeedFixture(t, store, counting, broker)
		topic := live.TopicPosts(f.topic.ID)
		const n = 50
		var channels []<-chan *ent.Post
		var cancels []context.CancelFunc
		for range n {
			ctx, cancel := context.WithCancel(reader(t))
			ch, err := f.feed.PostsAdded(ctx, f.topic.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			channels, cancels = append(channels, ch), append(cancels, cancel)
		}
		if got := counting.made.Load(); got != 1 {
			t.Fatalf("%d PubSub subscriptions for %d subscribers of one topic, want 1", got, n)
		}
		if got := f.feed.Subscribers(topic); got != n {
			t.Fatalf("Subscribers = %d, want %d", got, n)
		}
		id := f.post(t)
		for i, ch := range channels {
			if p, _ := receive(t, ch); p == nil || p.ID != id {
				t.Fatalf("subscriber %d received %v, want post %d", i, p, id)
			}
		}
		for i, cancel := range cancels {
			cancel()
			if _, ok := receive(t, channels[i]); ok {
				t.Fatalf("subscriber %d still open after its context ended", i)
			}
		}
		waitUntil(t, "the subscribers to leave", func() bool { return f.feed.Subscribers(topic) == 0 })
		// The topic's PubSub subscription ended with its last subscriber:
		// the next subscriber makes a new one.
		if _, err := f.feed.PostsAdded(reader(t), f.topic.ID, nil); err != nil {
			t.Fatal(err)
		}
		if got := counting.made.Load(); got != 2 {
			t.Fatalf("%d PubSub subscriptions made, want 2 (one per run of subscribers)", got)
		}
	})
}

// TestSlowSubscriberIsEndedAlone checks that a subscriber that stops
// reading is ended once it is more than live.MaxPending posts beyond its
// channel, while the others of its topic receive every post.
func TestSlowSubscriberIsEndedAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		broker := pubsub.NewBroker()
		defer broker.Close()
		f := newFeedFixture(t, store, broker, broker)
		slow, err := f.feed.PostsAdded(reader(t), f.topic.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := f.feed.PostsAdded(reader(t), f.topic.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		posts := cap(slow) + live.MaxPending + 10 // more than a subscriber may fall behind
		for i := range posts {
			id := f.post(t)
			if p, _ := receive(t, fast); p == nil || p.ID != id {
				t.Fatalf("post %d: the reading subscriber received %v, want %d", i, p, id)
			}
		}
		held := 0
		for {
			if _, ok := receive(t, slow); !ok {
				break
			}
			held++
		}
		// Its channel's rows, and the one row on its way when it fell too
		// far behind, however late the goroutine sending for it ran.
		if held == 0 || held > cap(slow)+1 {
			t.Fatalf("the slow subscriber held %d posts before it was ended, want some, at most %d", held, cap(slow)+1)
		}
		waitUntil(t, "the slow subscriber to leave", func() bool { return f.feed.Subscribers(live.TopicPosts(f.topic.ID)) == 1 })
	})
}

// TestSubscriptionsEndWithTheirStream checks that closing the PubSub ends
// the subscriptions fed by it (the client then resubscribes with its
// cursor) instead of leaving them silent.
func TestSubscriptionsEndWithTheirStream(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		broker := pubsub.NewBroker()
		f := newFeedFixture(t, store, broker, broker)
		ch, err := f.feed.PostsAdded(reader(t), f.topic.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = broker.Close()
		if _, ok := receive(t, ch); ok {
			t.Fatal("received a post after the PubSub closed, want the channel closed")
		}
		if got := f.feed.Subscribers(live.TopicPosts(f.topic.ID)); got != 0 {
			t.Fatalf("Subscribers = %d after the stream ended, want 0", got)
		}
	})
}

// waitUntil polls cond until it holds or a hang guard runs out.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: timed out", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
