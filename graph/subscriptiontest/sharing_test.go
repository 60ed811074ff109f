package subscriptiontest

import (
	"testing"

	"github.com/bridgesoftrust/hub/internal/live"
)

// TestSharedResultsStayWithinOneCredential checks that results shared
// among subscribers (connections of one session, anonymous connections:
// see wstransport.Config.ShareKey) never reach another viewer: a post's
// author sees their own email in it on both of their connections, another
// member of the same audience and anonymous readers do not.
func TestSharedResultsStayWithinOneCredential(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice, bob := h.secretariat(), h.user(), h.user()
		email := h.value(alice, `{ me { email } }`, nil, "me", "email")
		topic := h.topic(alice, h.category(admin, "general", "PUBLIC"), "Sharing")
		const query = `subscription($t: ID!) { postAdded(topicId: $t) { body author { email } } }`
		subscribers := []struct {
			name string
			as   caller
			want string // the author's email as the subscriber sees it
		}{
			{"alice", alice, email}, {"bob", bob, "null"}, {"alice again", alice, email},
			{"anonymous", anonymous, ""}, {"bob again", bob, "null"}, {"anonymous again", anonymous, ""},
		}
		clients := make([]*wsClient, len(subscribers))
		for i, s := range subscribers {
			clients[i] = h.connect(s.as)
			clients[i].subscribe("s", query, vars{"t": topic})
		}
		h.events.waitFor(t, live.TopicPosts(topicOf(t, topic)), len(subscribers))
		for _, body := range []string{"first", "second"} {
			h.post(alice, topic, body)
			for i, s := range subscribers {
				got := clients[i].nextField("s", "postAdded", "author", "email")
				if got != s.want {
					t.Errorf("%s, post %s: author email %q, want %q", s.name, body, got, s.want)
				}
			}
		}
	})
}
