package subscriptiontest

import (
	"encoding/json"
	"testing"

	"github.com/bridgesoftrust/hub/internal/live"
)

// notificationAdded subscribes to the viewer's new notifications.
const notificationAdded = `subscription { notificationAdded { id kind recipient { id } post { id } } }`

// newsPublished subscribes to news items as they are published.
const newsPublished = `subscription { newsPublished { id title status } }`

// TestNotificationAddedReachesOnlyItsRecipient checks that a reply to
// alice's topic notifies alice's subscription, and nobody else's: not the
// replier's, not a bystander's.
func TestNotificationAddedReachesOnlyItsRecipient(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice, bob, carol := h.secretariat(), h.user(), h.user(), h.user()
		topic := h.topic(alice, h.category(admin, "general", "MEMBERS"), "Alice asks")
		subscribers := map[string]*wsClient{}
		for name, as := range map[string]caller{"alice": alice, "bob": bob, "carol": carol} {
			subscribers[name] = h.connect(as)
			subscribers[name].subscribe("n", notificationAdded, nil)
			h.events.waitFor(t, live.UserNotifications(as.userID(t)), 1)
		}
		reply := h.post(bob, topic, "Bob answers")
		var got struct {
			NotificationAdded struct {
				ID, Kind        string
				Recipient, Post struct{ ID string }
			}
		}
		if err := json.Unmarshal(subscribers["alice"].next("n"), &got); err != nil {
			t.Fatal(err)
		}
		if n := got.NotificationAdded; n.ID == "" || n.Kind != "REPLY" || n.Post.ID != reply || n.Recipient.ID != alice.id {
			t.Errorf("alice's notification %+v, want a REPLY to alice (%s) about post %s", n, alice.id, reply)
		}
		quiet(subscribers["alice"], subscribers["bob"], subscribers["carol"])
	})
}

// TestNotificationAddedNeedsSignIn checks that an anonymous caller cannot
// subscribe to notifications.
func TestNotificationAddedNeedsSignIn(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		c := h.connect(anonymous)
		c.subscribe("n", notificationAdded, nil)
		err := c.refused("n")
		if err.Code() != "UNAUTHENTICATED" {
			t.Errorf("anonymous notificationAdded refused with %q %q, want UNAUTHENTICATED", err.Code(), err.Message)
		}
	})
}

// TestNewsPublished checks that newsPublished delivers a news item when it
// is published, to anonymous and signed-in subscribers, and never a draft
// or a later edit.
func TestNewsPublished(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice := h.secretariat(), h.user()
		subscribers := []*wsClient{h.connect(anonymous), h.connect(alice)}
		for _, c := range subscribers {
			c.subscribe("news", newsPublished, nil)
		}
		h.events.waitFor(t, live.News, len(subscribers))
		create := `mutation($t: String!) { createNewsItem(input: {title: $t, body: "Body"}) { id } }`
		draft := h.value(admin, create, vars{"t": "Stays a draft"}, "createNewsItem", "id")
		published := h.value(admin, create, vars{"t": "Published"}, "createNewsItem", "id")
		h.value(admin, `mutation($id: ID!) { publishNewsItem(id: $id) { id } }`, vars{"id": published}, "publishNewsItem", "id")
		h.value(admin, `mutation($id: ID!) { updateNewsItem(id: $id, input: {title: "Published, edited"}) { id } }`,
			vars{"id": published}, "updateNewsItem", "id")
		h.value(admin, `mutation($id: ID!) { updateNewsItem(id: $id, input: {title: "Still a draft"}) { id } }`,
			vars{"id": draft}, "updateNewsItem", "id")
		// Events carry ids and rows are read when delivered, so the title
		// may already be the edited one; the item must be the published one.
		for _, c := range subscribers {
			got := c.nextField("news", "newsPublished")
			want := map[string]bool{
				`{"id":"` + published + `","status":"PUBLISHED","title":"Published"}`:         true,
				`{"id":"` + published + `","status":"PUBLISHED","title":"Published, edited"}`: true,
			}
			if !want[got] {
				t.Errorf("newsPublished delivered %s, want news item %s, published (the draft is %s)", got, published, draft)
			}
		}
		quiet(subscribers...)
	})
}
