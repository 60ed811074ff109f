package subscriptiontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/live"
)

// postAdded subscribes to the posts of a topic, after a cursor if given.
const postAdded = `subscription($t: ID!, $a: Cursor) { postAdded(topicId: $t, after: $a) { id body topic { id } } }`

// TestResumeAfterCursor checks that a subscriber that disconnects, misses
// posts and comes back with the cursor of the last post it got receives
// exactly the posts it missed, in order, then live ones.
func TestResumeAfterCursor(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice, bob := h.secretariat(), h.user(), h.user()
		topic := h.topic(alice, h.category(admin, "general", "MEMBERS"), "Resume")
		posts := live.TopicPosts(topicOf(t, topic))

		c := h.connect(alice)
		c.subscribe("p", postAdded, vars{"t": topic})
		h.events.waitFor(t, posts, 1)
		last := h.post(bob, topic, "seen live")
		if got := c.nextField("p", "postAdded", "id"); got != last {
			t.Fatalf("first live post %s, want %s", got, last)
		}
		c.close()
		h.events.waitFor(t, posts, 0)

		var missed []string
		for i := range 5 {
			missed = append(missed, h.post(bob, topic, fmt.Sprintf("missed %d", i+1)))
		}
		c = h.connect(alice)
		c.subscribe("p", postAdded, vars{"t": topic, "a": h.cursor(admin, topic, last)})
		for i, want := range missed {
			if got := c.nextField("p", "postAdded", "id"); got != want {
				t.Fatalf("replayed post %d is %s, want %s (missed: %v)", i+1, got, want, missed)
			}
		}
		h.events.waitFor(t, posts, 1)
		live := h.post(bob, topic, "live again")
		if got := c.nextField("p", "postAdded", "id"); got != live {
			t.Fatalf("live post after the replay is %s, want %s", got, live)
		}
		c.quiet()
	})
}

// TestResumeWhilePosting checks that posts written while a subscriber
// comes back with a cursor reach it once each, in order, whether the
// replay or the live events carry them.
func TestResumeWhilePosting(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		admin, alice, bob := h.secretariat(), h.user(), h.user()
		topic := h.topic(alice, h.category(admin, "general", "MEMBERS"), "Busy")
		opening := h.cursor(admin, topic, h.value(admin, `query($t: ID!) { posts(first: 1, where: {topicID: $t}) { edges { node { id } } } }`,
			vars{"t": topic}, "posts", "edges", "0", "node", "id"))
		written := make(chan []string, 1)
		go func() { written <- writePosts(h, bob, topic, 20) }()
		c := h.connect(alice)
		c.subscribe("p", postAdded, vars{"t": topic, "a": opening})
		ids := <-written
		for _, id := range ids {
			if strings.HasPrefix(id, "failed") {
				t.Fatalf("writing the posts: %v", ids)
			}
		}
		for i, want := range ids {
			if got := c.nextField("p", "postAdded", "id"); got != want {
				t.Fatalf("post %d received is %s, want %s (written: %v)", i+1, got, want, ids)
			}
		}
		c.quiet()
	})
}

// writePosts writes n posts as c, one after another, and returns their ids.
// It runs outside the test's goroutine, so it reports a failed request as
// an id starting "failed" instead of failing the test.
func writePosts(h *hub, c caller, topic string, n int) []string {
	var ids []string
	for i := range n {
		body, _ := json.Marshal(gqltest.Params{
			Query:     `mutation($t: ID!, $b: String!) { createPost(input: {topicId: $t, body: $b}) { id } }`,
			Variables: vars{"t": topic, "b": fmt.Sprintf("busy %d", i)},
		})
		req, _ := http.NewRequest(http.MethodPost, h.endpoint(), bytes.NewReader(body))
		req.Header = c.header()
		req.Header.Set("Content-Type", "application/json")
		ids = append(ids, postID(gqltest.Client.Do(req)))
	}
	return ids
}

// postID returns the id of the post a createPost answer names, or a
// description of the failure.
func postID(resp *http.Response, err error) string {
	if err != nil {
		return "failed: " + err.Error()
	}
	defer resp.Body.Close()
	var r struct {
		Data struct{ CreatePost struct{ ID string } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Data.CreatePost.ID == "" {
		return fmt.Sprintf("failed: status %d", resp.StatusCode)
	}
	return r.Data.CreatePost.ID
}
