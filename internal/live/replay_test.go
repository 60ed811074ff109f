package live_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"testing"

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
