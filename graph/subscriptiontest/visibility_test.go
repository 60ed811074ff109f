package subscriptiontest

import (
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/live"
)

// topicAdded subscribes to new topics, of one category if given.
const topicAdded = `subscription($c: ID) { topicAdded(categoryId: $c) { id title category { id } } }`

// forum is a category of each visibility with a topic in each.
type forum struct {
	admin, alice            caller
	public, members, secret struct{ category, topic string }
}

func newForum(h *hub) *forum {
	h.t.Helper()
	f := &forum{admin: h.secretariat(), alice: h.user()}
	f.public.category = h.category(f.admin, "public", "PUBLIC")
	f.members.category = h.category(f.admin, "members", "MEMBERS")
	f.secret.category = h.category(f.admin, "secret", "SECRETARIAT")
	f.public.topic = h.topic(f.alice, f.public.category, "Public")
	f.members.topic = h.topic(f.alice, f.members.category, "Members")
	f.secret.topic = h.topic(f.admin, f.secret.category, "Secret")
	return f
}

// TestSubscriptionsToHiddenPlacesAreRefused checks that subscribing to a
// topic or category the caller may not read fails as if it did not exist.
func TestSubscriptionsToHiddenPlacesAreRefused(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		f := newForum(h)
		for _, tc := range []struct {
			name  string
			as    caller
			query string
			v     vars
		}{
			{"user, posts of a secretariat topic", f.alice, postAdded, vars{"t": f.secret.topic}},
			{"user, topics of a secretariat category", f.alice, topicAdded, vars{"c": f.secret.category}},
			{"anonymous, posts of a members topic", anonymous, postAdded, vars{"t": f.members.topic}},
			{"anonymous, topics of a members category", anonymous, topicAdded, vars{"c": f.members.category}},
		} {
			c := h.connect(tc.as)
			c.subscribe("s", tc.query, tc.v)
			if err := c.refused("s"); err.Code() != "NOT_FOUND" {
				t.Errorf("%s: error %q with code %q, want NOT_FOUND", tc.name, err.Message, err.Code())
			}
		}
	})
}

// TestTopicAddedShowsOnlyReadableCategories checks that topicAdded without
// a category delivers to each subscriber only the topics of the categories
// it may read.
func TestTopicAddedShowsOnlyReadableCategories(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		f := newForum(h)
		subscribers := map[string]*wsClient{}
		for name, as := range map[string]caller{"anonymous": anonymous, "user": f.alice, "secretariat": f.admin} {
			subscribers[name] = h.connect(as)
			subscribers[name].subscribe("t", topicAdded, nil)
		}
		h.events.waitFor(t, live.AllTopics, 3)
		secret := h.topic(f.admin, f.secret.category, "New secret")
		members := h.topic(f.admin, f.members.category, "New members")
		public := h.topic(f.admin, f.public.category, "New public")
		for name, want := range map[string][]string{
			"anonymous":   {public},
			"user":        {members, public},
			"secretariat": {secret, members, public},
		} {
			for _, id := range want {
				// The fixture's own topic events may still be in flight on
				// PostgreSQL when the subscriptions start; the feed skips
				// topics older than the subscription.
				if got := subscribers[name].nextField("t", "topicAdded", "id"); got != id {
					t.Errorf("%s received topic %s, want %s (secret %s, members %s, public %s)", name, got, id, secret, members, public)
				}
			}
		}
		quiet(subscribers["anonymous"], subscribers["user"], subscribers["secretariat"])
	})
}

// TestVisibilityChangeWhileSubscribed checks that a member subscribed to a
// topic stops receiving its posts once its category becomes
// secretariat-only, while a secretariat subscriber still receives them.
func TestVisibilityChangeWhileSubscribed(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		f := newForum(h)
		member, admin := h.connect(f.alice), h.connect(f.admin)
		member.subscribe("p", postAdded, vars{"t": f.members.topic})
		admin.subscribe("p", postAdded, vars{"t": f.members.topic})
		h.events.waitFor(t, live.TopicPosts(topicOf(t, f.members.topic)), 2)

		before := h.post(f.alice, f.members.topic, "before the change")
		for name, c := range map[string]*wsClient{"member": member, "secretariat": admin} {
			if got := c.nextField("p", "postAdded", "id"); got != before {
				t.Fatalf("%s received %s, want %s", name, got, before)
			}
		}
		h.value(f.admin, `mutation($id: ID!) { updateForumCategory(id: $id, input: {visibility: SECRETARIAT}) { id } }`,
			vars{"id": f.members.category}, "updateForumCategory", "id")
		after := []string{h.post(f.admin, f.members.topic, "after the change"), h.post(f.admin, f.members.topic, "and again")}
		for _, want := range after {
			if got := admin.nextField("p", "postAdded", "id"); got != want {
				t.Errorf("secretariat received %s, want %s", got, want)
			}
		}
		expectNoPosts(t, member)
		admin.quiet()
	})
}

// expectNoPosts fails if c receives a post of operation "p" within the
// grace period; the subscription may end instead (complete), as the topic
// is gone for the subscriber.
func expectNoPosts(t *testing.T, c *wsClient) {
	t.Helper()
	time.Sleep(grace)
	c.drain()
	for _, m := range c.pending["p"] {
		if m.Type != "complete" {
			t.Fatalf("member received %s %s after the change", m.Type, m.Payload)
		}
		t.Log("the member's subscription completed after the change")
	}
	c.pending["p"] = nil
}
