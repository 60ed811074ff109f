package live_test

import (
	"context"
	"encoding/json"
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

// forum makes a category, a topic with its first post by one user and a
// second user, behind the API's back.
func forum(t *testing.T, client *ent.Client) (opener, replier, categoryID, topicID int) {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	u := client.User.Create().SetEmail("opener@example.org").SetDisplayName("Opener").SaveX(ctx)
	r := client.User.Create().SetEmail("replier@example.org").SetDisplayName("Replier").SaveX(ctx)
	c := client.ForumCategory.Create().SetName("General").SetSlug("general").SaveX(ctx)
	tp := client.Topic.Create().SetTitle("Hello").SetCategoryID(c.ID).SetAuthorID(u.ID).SaveX(ctx)
	client.Post.Create().SetTopicID(tp.ID).SetAuthorID(u.ID).SetBody("Hello all").SaveX(ctx)
	return u.ID, r.ID, c.ID, tp.ID
}

// write creates a post by userID in a transaction of a context carrying
// ps, and commits or rolls back.
func write(t *testing.T, client *ent.Client, ps pubsub.PubSub, userID, topicID int, commit bool) int {
	t.Helper()
	ctx := live.WithPubSub(viewer.NewContext(context.Background(), &viewer.Viewer{UserID: userID, Scopes: []viewer.Scope{viewer.ScopeWrite}}), ps)
	tx, err := client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tx.Client().Post.Create().SetTopicID(topicID).SetBody("news!").Save(ent.NewTxContext(ctx, tx))
	if err != nil {
		t.Fatal(err)
	}
	end := tx.Rollback
	if commit {
		end = tx.Commit
	}
	if err := end(); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestPostEventsAfterCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		broker := pubsub.NewBroker()
		defer broker.Close()
		opener, replier, categoryID, topicID := forum(t, store.Client)
		posts := subscribe(t, broker, live.TopicPosts(topicID))
		notifications := subscribe(t, broker, live.UserNotifications(opener))
		write(t, store.Client, broker, replier, topicID, false)
		expectNone(t, posts)
		expectNone(t, notifications)
		id := write(t, store.Client, broker, replier, topicID, true)
		var payload struct {
			Post int
			Op   string
		}
		ev := next(t, posts)
		if err := json.Unmarshal(ev.Payload, &payload); err != nil || payload.Post != id || payload.Op != live.OpCreated {
			t.Errorf("event %s %s, want post %d created", ev.Topic, ev.Payload, id)
		}
		var note struct {
			Kind    string
			Subject int
			At      int64 // when published, for the delivery lag
		}
		ev = next(t, notifications)
		if err := json.Unmarshal(ev.Payload, &note); err != nil || note.Kind != "REPLY" || note.Subject != id || note.At == 0 {
			t.Errorf("notification event %s %s", ev.Topic, ev.Payload)
		}
		if live.CategoryTopics(categoryID) != "topic-category:"+strconv.Itoa(categoryID) {
			t.Errorf("category topic %q", live.CategoryTopics(categoryID))
		}
	})
}

func TestPublishWithoutPubSubDoesNothing(t *testing.T) {
	if err := live.Publish(context.Background(), live.News, map[string]int{"newsItem": 1}); err != nil {
		t.Fatal(err)
	}
}

func subscribe(t *testing.T, ps pubsub.PubSub, topic string) *pubsub.Subscription {
	t.Helper()
	s, err := ps.Subscribe(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func next(t *testing.T, s *pubsub.Subscription) pubsub.Event {
	t.Helper()
	select {
	case ev := <-s.C:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
		return pubsub.Event{}
	}
}

func expectNone(t *testing.T, s *pubsub.Subscription) {
	t.Helper()
	select {
	case ev := <-s.C:
		t.Fatalf("unexpected event %s %s from a rolled back transaction", ev.Topic, ev.Payload)
	case <-time.After(50 * time.Millisecond):
	}
}
