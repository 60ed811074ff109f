package forumtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/reaction"
)

func TestContract(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		admin, alice := h.secretariat(), h.user("alice")
		var created struct{ CreateForumCategory struct{ ID string } }
		h.ok(admin, `mutation { createForumCategory(input: {name: "Water", slug: "water", visibility: PUBLIC}) { id } }`, nil, &created)
		var list struct {
			ForumCategories struct {
				Edges []struct {
					Node struct{ ID, Name, Visibility string }
				}
			}
		}
		h.ok(anonymous, `{ forumCategories { edges { node { id name visibility } } } }`, nil, &list)
		if len(list.ForumCategories.Edges) != 1 || list.ForumCategories.Edges[0].Node.Name != "Water" ||
			list.ForumCategories.Edges[0].Node.Visibility != "PUBLIC" {
			t.Fatalf("forumCategories = %+v", list)
		}
		topic := h.value(alice, `mutation($c: ID!) { createTopic(input: {categoryId: $c, title: "Pumps", body: "Who has *spare* pumps?"}) { id } }`,
			vars{"c": created.CreateForumCategory.ID}, "createTopic", "id")
		post := h.value(alice, `mutation($t: ID!) { createPost(input: {topicId: $t, body: "Bump", replyToId: null}) { id } }`,
			vars{"t": topic}, "createPost", "id")
		got := h.value(anonymous, `query($id: ID!) { node(id: $id) { ... on Post { topic { title replyCount posts { totalCount } } } } }`,
			vars{"id": post}, "node", "topic")
		if got != `{"posts":{"totalCount":2},"replyCount":1,"title":"Pumps"}` {
			t.Errorf("the post's topic = %s", got)
		}
	})
}

func TestCategoryValidationAndAccess(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		admin, alice := h.secretariat(), h.user("")
		resp := h.refused(admin, "BAD_USER_INPUT", `mutation { createForumCategory(input: {name: "X", slug: "Not A Slug"}) { id } }`, nil)
		if resp.Errors[0].Field() != "slug" {
			t.Errorf("field = %q, want slug", resp.Errors[0].Field())
		}
		h.refused(alice, "FORBIDDEN", `mutation { createForumCategory(input: {name: "X", slug: "x"}) { id } }`, nil)
		h.refused(anonymous, "UNAUTHENTICATED", `mutation { createForumCategory(input: {name: "X", slug: "x"}) { id } }`, nil)
		id := h.category(admin, "general", "PUBLIC")
		h.refused(alice, "FORBIDDEN", `mutation($id: ID!) { updateForumCategory(id: $id, input: {visibility: MEMBERS}) { id } }`, vars{"id": id})
		h.ok(admin, `mutation($id: ID!) { updateForumCategory(id: $id, input: {visibility: MEMBERS}) { id } }`, vars{"id": id}, nil)
		if n := h.count(anonymous, "forumCategories", ""); n != 0 {
			t.Errorf("anonymous sees %d categories after the change to MEMBERS, want 0", n)
		}
		resp = h.refused(alice, "BAD_USER_INPUT", `mutation($c: ID!) { createTopic(input: {categoryId: $c, title: "T", body: "B", tags: ["Upper"]}) { id } }`, vars{"c": id})
		if resp.Errors[0].Field() != "tags" {
			t.Errorf("field = %q, want tags", resp.Errors[0].Field())
		}
	})
}

// forum is a forum with one category of each visibility, a topic in each
// and a post by alice in each.
type forum struct {
	admin, alice, bob       caller
	public, members, secret struct{ category, topic, post string }
}

func newForum(h *hub) *forum {
	h.t.Helper()
	f := &forum{admin: h.secretariat(), alice: h.user("alice"), bob: h.user("bob")}
	for _, c := range []struct {
		slug, visibility string
		into             *struct{ category, topic, post string }
	}{{"public", "PUBLIC", &f.public}, {"members", "MEMBERS", &f.members}, {"secret", "SECRETARIAT", &f.secret}} {
		c.into.category = h.category(f.admin, c.slug, c.visibility)
		author := f.alice
		if c.visibility == "SECRETARIAT" {
			author = f.admin
		}
		c.into.topic = h.topic(author, c.into.category, c.slug+" topic", c.slug+" opening words")
		c.into.post = h.post(author, c.into.topic, "a "+c.slug+" reply", "")
	}
	return f
}

func TestVisibility(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		callers := map[string]caller{"anonymous": anonymous, "user": f.bob, "secretariat": f.admin}
		want := map[string]int{"anonymous": 1, "user": 2, "secretariat": 3}
		for name, c := range callers {
			for _, field := range []string{"forumCategories", "topics"} {
				if got := h.count(c, field, ""); got != want[name] {
					t.Errorf("%s: %s totalCount = %d, want %d", name, field, got, want[name])
				}
			}
			if got := h.count(c, "posts", ""); got != 2*want[name] {
				t.Errorf("%s: posts totalCount = %d, want %d", name, got, 2*want[name])
			}
			if got := h.count(c, "posts", `(where: {bodyContainsFold: "SECRET"})`); got != map[string]int{"secretariat": 2}[name] {
				t.Errorf("%s: search for secret posts finds %d", name, got)
			}
			if got := h.count(c, "topics", `(where: {hasCategoryWith: {slug: "secret"}})`); got != map[string]int{"secretariat": 1}[name] {
				t.Errorf("%s: filter on the secret category finds %d topics", name, got)
			}
			if got := h.count(c, "forumCategories", `(where: {hasTopicsWith: {titleContainsFold: "members"}})`); got != min(want[name]-1, 1) {
				t.Errorf("%s: filter on topics finds %d categories", name, got)
			}
		}
		checkNodes(t, h, f)
		checkNested(t, h, f)
	})
}

// checkNodes checks that node(id:) finds only what the caller may read.
func checkNodes(t *testing.T, h *hub, f *forum) {
	for _, c := range []struct {
		who          caller
		name         string
		members, sec bool
	}{{anonymous, "anonymous", false, false}, {f.bob, "user", true, false}, {f.admin, "secretariat", true, true}} {
		for id, visible := range map[string]bool{f.public.post: true, f.members.topic: c.members, f.members.post: c.members,
			f.secret.category: c.sec, f.secret.topic: c.sec, f.secret.post: c.sec} {
			resp := h.do(c.who, `query($id: ID!) { node(id: $id) { id } }`, vars{"id": id})
			if got := resp.Code() == ""; got != visible {
				t.Errorf("%s: node(%s) visible = %v, want %v (%s)", c.name, id, got, visible, resp.Body)
			}
			if !visible && resp.Code() != "NOT_FOUND" {
				t.Errorf("%s: node(%s) code = %s, want NOT_FOUND", c.name, id, resp.Code())
			}
		}
	}
}

// checkNested checks the nested edges category.topics.posts and post.topic.category.
func checkNested(t *testing.T, h *hub, f *forum) {
	q := `{ forumCategories(first: 10) { edges { node { slug topics(first: 5) { totalCount edges { node { posts(first: 5) { totalCount } } } } } } } }`
	want := `{"forumCategories":{"edges":[{"node":{"slug":"public","topics":{"edges":[{"node":{"posts":{"totalCount":2}}}],"totalCount":1}}}]}}`
	if got := h.value(anonymous, q, nil); got != want {
		t.Errorf("anonymous nested = %s", got)
	}
	var data struct {
		ForumCategories struct{ Edges []any }
	}
	h.ok(f.admin, q, nil, &data)
	if len(data.ForumCategories.Edges) != 3 {
		t.Errorf("secretariat nested: %d categories, want 3", len(data.ForumCategories.Edges))
	}
}

func TestLockedTopic(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		lock := `mutation($id: ID!, $l: Boolean!) { lockTopic(id: $id, locked: $l) { locked } }`
		h.refused(f.alice, "FORBIDDEN", lock, vars{"id": f.public.topic, "l": true})
		h.ok(f.admin, lock, vars{"id": f.public.topic, "l": true}, nil)
		resp := h.refused(f.bob, "FORBIDDEN", `mutation($t: ID!) { createPost(input: {topicId: $t, body: "late"}) { id } }`, vars{"t": f.public.topic})
		if !strings.Contains(resp.Errors[0].Message, "locked") {
			t.Errorf("message %q does not say the topic is locked", resp.Errors[0].Message)
		}
		h.refused(f.alice, "FORBIDDEN", `mutation($id: ID!) { updatePost(id: $id, input: {body: "changed"}) { id } }`, vars{"id": f.public.post})
		h.post(f.admin, f.public.topic, "Closing note from the moderators", "")
		h.ok(f.admin, lock, vars{"id": f.public.topic, "l": false}, nil)
		h.post(f.bob, f.public.topic, "open again", "")
		pin := `mutation($id: ID!) { pinTopic(id: $id, pinned: true) { pinned } }`
		h.refused(f.bob, "FORBIDDEN", pin, vars{"id": f.public.topic})
		if got := h.value(f.admin, pin, vars{"id": f.public.topic}, "pinTopic", "pinned"); got != "true" {
			t.Errorf("pinned = %s", got)
		}
	})
}

func TestPostingNeedsAVisibleTopic(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		q := `mutation($t: ID!, $r: ID) { createPost(input: {topicId: $t, body: "hello", replyToId: $r}) { id } }`
		resp := h.refused(f.bob, "BAD_USER_INPUT", q, vars{"t": f.secret.topic})
		if resp.Errors[0].Field() != "topicId" {
			t.Errorf("field = %q, want topicId", resp.Errors[0].Field())
		}
		h.refused(anonymous, "UNAUTHENTICATED", q, vars{"t": f.public.topic})
		resp = h.refused(f.bob, "BAD_USER_INPUT", q, vars{"t": f.public.topic, "r": f.members.post})
		if resp.Errors[0].Field() != "replyToId" {
			t.Errorf("field = %q, want replyToId", resp.Errors[0].Field())
		}
		h.refused(f.bob, "BAD_USER_INPUT", `mutation($c: ID!) { createTopic(input: {categoryId: $c, title: "t", body: "b"}) { id } }`,
			vars{"c": f.secret.category})
		resp = h.refused(f.bob, "BAD_USER_INPUT", `mutation($t: ID!) { createPost(input: {topicId: $t, body: " "}) { id } }`, vars{"t": f.public.topic})
		if resp.Errors[0].Field() != "body" {
			t.Errorf("field = %q, want body", resp.Errors[0].Field())
		}
		if n := h.count(f.admin, "posts", ""); n != 6 {
			t.Errorf("%d posts after refused ones, want 6", n)
		}
	})
}

func TestAuthorEditsOwnPosts(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		q := `mutation($id: ID!, $b: String!) { updatePost(id: $id, input: {body: $b}) { body bodyHTML editedAt } }`
		h.refused(f.bob, "FORBIDDEN", q, vars{"id": f.public.post, "b": "vandalism"})
		h.refused(anonymous, "UNAUTHENTICATED", q, vars{"id": f.public.post, "b": "vandalism"})
		h.refused(f.bob, "NOT_FOUND", q, vars{"id": f.secret.post, "b": "probe"})
		var got struct {
			UpdatePost struct {
				Body, BodyHTML string
				EditedAt       *string
			}
		}
		h.ok(f.alice, q, vars{"id": f.public.post, "b": "**edited** <script>alert(1)</script> [site](https://example.org)"}, &got)
		p := got.UpdatePost
		if p.EditedAt == nil || !strings.Contains(p.BodyHTML, "<strong>edited</strong>") ||
			strings.Contains(p.BodyHTML, "<script") || !strings.Contains(p.BodyHTML, `rel="nofollow`) {
			t.Errorf("edited post = %+v", p)
		}
		h.refused(f.alice, "BAD_USER_INPUT", q, vars{"id": f.public.post, "b": "  "})
	})
}

func TestMarkdownIsSanitized(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		id := h.post(f.bob, f.public.topic, "Hi <script>steal()</script><img src=x onerror=alert(1)> see [this](javascript:alert(1)) and https://example.org", "")
		html := h.value(anonymous, `query($id: ID!) { node(id: $id) { ... on Post { bodyHTML } } }`, vars{"id": id}, "node", "bodyHTML")
		for _, bad := range []string{"<script", "<img", "onerror", "javascript:"} {
			if strings.Contains(html, bad) {
				t.Errorf("bodyHTML %q contains %q", html, bad)
			}
		}
		if !strings.Contains(html, `<a href="https://example.org" rel="nofollow`) {
			t.Errorf("bodyHTML %q has no nofollow link", html)
		}
	})
}

func TestReactions(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		react := `mutation($p: ID!, $k: ReactionKind!) { react(postId: $p, kind: $k) { reactions { totalCount } } }`
		for range 2 {
			h.ok(f.bob, react, vars{"p": f.public.post, "k": "LIKE"}, nil)
		}
		h.ok(f.bob, react, vars{"p": f.public.post, "k": "THANKS"}, nil)
		h.ok(f.alice, react, vars{"p": f.public.post, "k": "LIKE"}, nil)
		h.refused(anonymous, "UNAUTHENTICATED", react, vars{"p": f.public.post, "k": "LIKE"})
		h.refused(f.bob, "BAD_USER_INPUT", react, vars{"p": f.secret.post, "k": "LIKE"})
		q := `query($id: ID!) { node(id: $id) { ... on Post { likes: reactions(where: {kind: LIKE}) { totalCount } all: reactions { totalCount edges { node { user { id } } } } } } }`
		if got := h.value(anonymous, q, vars{"id": f.public.post}, "node", "likes", "totalCount"); got != "2" {
			t.Errorf("likes = %s, want 2", got)
		}
		if got := h.value(anonymous, q, vars{"id": f.public.post}, "node", "all", "edges", "0", "node", "user"); got != "null" {
			t.Errorf("anonymous sees who reacted: %s", got)
		}
		if got := h.value(f.alice, q, vars{"id": f.public.post}, "node", "all", "edges", "0", "node", "user", "id"); got != f.bob.id {
			t.Errorf("alice sees reaction by %s, want bob %s", got, f.bob.id)
		}
		h.ok(f.bob, `mutation($p: ID!) { unreact(postId: $p, kind: LIKE) { id } }`, vars{"p": f.public.post}, nil)
		if got := h.value(anonymous, q, vars{"id": f.public.post}, "node", "all", "totalCount"); got != "2" {
			t.Errorf("reactions after unreact = %s, want 2", got)
		}
		checkReactionUnique(t, h, f)
	})
}

// checkReactionUnique checks that the database refuses a second reaction
// of a kind by a user to a post.
func checkReactionUnique(t *testing.T, h *hub, f *forum) {
	add := func(ctx context.Context) error {
		return h.entClient().Reaction.Create().SetPostID(intID(t, f.public.post)).SetUserID(intID(t, f.alice.id)).
			SetKind(reaction.KindLIKE).Exec(ctx)
	}
	if err := add(sys()); !ent.IsConstraintError(err) {
		t.Errorf("a duplicate reaction: got %v, want a constraint error", err)
	}
}

func TestFlagsAndModeration(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		carol := h.user("carol")
		flag := `mutation($p: ID!, $r: String!) { flagPost(postId: $p, reason: $r) { id status } }`
		bobFlag := h.value(f.bob, flag, vars{"p": f.public.post, "r": "spam"}, "flagPost", "id")
		h.value(carol, flag, vars{"p": f.public.post, "r": "rude"}, "flagPost", "id")
		resp := h.refused(f.bob, "BAD_USER_INPUT", flag, vars{"p": f.public.post, "r": "again"})
		if resp.Errors[0].Field() != "postId" {
			t.Errorf("field = %q, want postId", resp.Errors[0].Field())
		}
		h.refused(f.bob, "BAD_USER_INPUT", flag, vars{"p": f.secret.post, "r": "probe"})
		h.refused(anonymous, "UNAUTHENTICATED", flag, vars{"p": f.public.post, "r": "x"})
		queue := `(where: {status: OPEN})`
		if n := h.count(f.admin, "flags", queue); n != 2 {
			t.Errorf("moderation queue has %d flags, want 2", n)
		}
		if n := h.count(f.bob, "flags", ""); n != 1 {
			t.Errorf("bob sees %d flags, want his own", n)
		}
		if n := h.count(f.alice, "flags", ""); n != 0 {
			t.Errorf("the author sees %d flags, want 0", n)
		}
		resolve := `mutation($id: ID!, $a: FlagAction!) { resolveFlag(id: $id, action: $a) { status resolution } }`
		h.refused(f.bob, "FORBIDDEN", resolve, vars{"id": bobFlag, "a": "DISMISS"})
		got := h.value(f.admin, resolve, vars{"id": bobFlag, "a": "HIDE"}, "resolveFlag")
		if got != `{"resolution":"HIDE","status":"RESOLVED"}` {
			t.Errorf("resolved flag = %s", got)
		}
		if n := h.count(f.admin, "flags", queue); n != 0 {
			t.Errorf("moderation queue has %d flags after resolving the post, want 0", n)
		}
		checkHidden(t, h, f, true)
		checkFlaggedPostHidden(t, h, f)
		h.ok(f.admin, resolve, vars{"id": bobFlag, "a": "RESTORE"}, nil)
		checkHidden(t, h, f, false)
	})
}

// checkFlaggedPostHidden checks what bob, who flagged alice's public post,
// reads of his flag once a moderator hid the post: the post (a field that
// must not be null, selecting only plain fields) is refused at its own
// path, the flag is null and the post never reaches him. The post goes
// through the executor's leaf path (graph/codegen/plain.go), whose field
// context exists only once a read fails or finds nothing.
func checkFlaggedPostHidden(t *testing.T, h *hub, f *forum) {
	t.Helper()
	resp := h.do(f.bob, `{ flags { edges { node { reason post { id body } } } } }`, nil)
	if strings.Contains(string(resp.Data), "post") || strings.Contains(string(resp.Data), f.public.post) {
		t.Errorf("bob reads the hidden post through his flag: %s", resp.Data)
	}
	if len(resp.Errors) != 1 || fmt.Sprint(resp.Errors[0].Path) != "[flags edges 0 node post]" {
		t.Errorf("errors %+v, want one at flags.edges.0.node.post (data %s)", resp.Errors, resp.Data)
	}
}

// checkHidden checks who sees alice's public post and the topic's reply
// count, the post being hidden or not.
func checkHidden(t *testing.T, h *hub, f *forum, hidden bool) {
	t.Helper()
	for name, c := range map[string]caller{"anonymous": anonymous, "bob": f.bob, "alice": f.alice, "secretariat": f.admin} {
		resp := h.do(c, `query($id: ID!) { node(id: $id) { ... on Post { hiddenAt } } }`, vars{"id": f.public.post})
		seen := resp.Code() == ""
		if want := !hidden || name == "alice" || name == "secretariat"; seen != want {
			t.Errorf("%s sees the post: %v, want %v", name, seen, want)
		}
		if seen && strings.Contains(string(resp.Data), `"hiddenAt":null`) == hidden {
			t.Errorf("%s: hiddenAt in %s, hidden %v", name, resp.Data, hidden)
		}
		topicPosts := h.value(c, `query($id: ID!) { node(id: $id) { ... on Topic { posts { totalCount } } } }`,
			vars{"id": f.public.topic}, "node", "posts", "totalCount")
		if want := map[bool]string{true: "1", false: "2"}[hidden && (name == "anonymous" || name == "bob")]; topicPosts != want {
			t.Errorf("%s: topic.posts totalCount = %s, want %s", name, topicPosts, want)
		}
		// A page of topics with their posts (a forum page) reads the posts
		// through the topics, whose rule their own then leans on.
		page := h.do(c, `{ topics(first: 20) { edges { node { posts(first: 10) { totalCount edges { node { id } } } } } } }`, nil)
		if listed, want := strings.Contains(string(page.Data), f.public.post), !hidden || name == "alice" || name == "secretariat"; listed != want {
			t.Errorf("%s: the forum page lists the post: %v, want %v: %s", name, listed, want, page.Data)
		}
	}
	want := map[bool]string{true: "0", false: "1"}[hidden]
	if got := h.value(anonymous, `query($id: ID!) { node(id: $id) { ... on Topic { replyCount } } }`, vars{"id": f.public.topic}, "node", "replyCount"); got != want {
		t.Errorf("replyCount = %s, want %s", got, want)
	}
}

func TestReplyCountAndDeletion(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		second := h.post(f.bob, f.public.topic, "second", f.public.post)
		h.post(f.alice, f.public.topic, "third", second)
		q := `query($id: ID!) { node(id: $id) { ... on Topic { replyCount lastActivityAt createdAt } } }`
		if got := h.value(anonymous, q, vars{"id": f.public.topic}, "node", "replyCount"); got != "3" {
			t.Errorf("replyCount = %s, want 3", got)
		}
		del := `mutation($id: ID!) { deletePost(id: $id) }`
		h.refused(f.alice, "FORBIDDEN", del, vars{"id": second})
		h.ok(f.bob, del, vars{"id": second}, nil)
		h.refused(f.bob, "FORBIDDEN", `mutation($id: ID!) { updatePost(id: $id, input: {body: "back"}) { id } }`, vars{"id": second})
		if got := h.value(anonymous, q, vars{"id": f.public.topic}, "node", "replyCount"); got != "2" {
			t.Errorf("replyCount after deletion = %s, want 2", got)
		}
		h.ok(f.admin, del, vars{"id": f.public.post}, nil)
		if got := h.value(anonymous, q, vars{"id": f.public.topic}, "node", "replyCount"); got != "1" {
			t.Errorf("replyCount after a moderator's deletion = %s, want 1", got)
		}
		opening := h.firstPost(f.admin, f.public.topic)
		h.ok(f.alice, del, vars{"id": opening}, nil)
		if got := h.value(anonymous, q, vars{"id": f.public.topic}, "node", "replyCount"); got != "1" {
			t.Errorf("replyCount after hiding the opening post = %s, want 1 (it is not a reply)", got)
		}
		var order struct {
			Node struct {
				ReplyCount                int
				LastActivityAt, CreatedAt string
			}
		}
		h.ok(anonymous, q, vars{"id": f.public.topic}, &order)
		if order.Node.LastActivityAt <= order.Node.CreatedAt {
			t.Errorf("lastActivityAt %s is not after createdAt %s", order.Node.LastActivityAt, order.Node.CreatedAt)
		}
	})
}

func TestCreationOrderReplay(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		for i := range 3 {
			h.post(f.bob, f.public.topic, "reply "+string(rune('a'+i)), "")
		}
		q := `query($id: ID!, $after: Cursor) { node(id: $id) { ... on Topic { posts(first: 2, after: $after) {
			edges { cursor node { body } } pageInfo { endCursor hasNextPage } } } } }`
		var page struct {
			Node struct {
				Posts struct {
					Edges []struct {
						Cursor string
						Node   struct{ Body string }
					}
					PageInfo struct {
						EndCursor   string
						HasNextPage bool
					}
				}
			}
		}
		var bodies []string
		var after any
		for {
			h.ok(anonymous, q, vars{"id": f.public.topic, "after": after}, &page)
			for _, e := range page.Node.Posts.Edges {
				bodies = append(bodies, e.Node.Body)
			}
			if !page.Node.Posts.PageInfo.HasNextPage {
				break
			}
			after = page.Node.Posts.PageInfo.EndCursor
		}
		want := "public opening words|a public reply|reply a|reply b|reply c"
		if got := strings.Join(bodies, "|"); got != want {
			t.Errorf("posts in order: %s, want %s", got, want)
		}
	})
}

// TestCountedPageOfANode checks a node's counted page of several rows (on
// PostgreSQL folded into the node's statement, the total read from the
// first row): the total counts every post, each post keeps its own values,
// and a page cut short still counts the rest.
func TestCountedPageOfANode(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		opening := h.firstPost(f.admin, f.public.topic)
		second := h.post(f.bob, f.public.topic, "second", f.public.post)
		third := h.post(f.alice, f.public.topic, "third", second)
		posted := []struct{ id, body string }{{opening, "public opening words"}, {f.public.post, "a public reply"}, {second, "second"}, {third, "third"}}
		q := `query($id: ID!, $n: Int) { node(id: $id) { ... on Topic {
			posts(first: $n, orderBy: [{field: CREATED_AT, direction: ASC}]) { totalCount edges { node { id body } } } } } }`
		for _, n := range []int{4, 3, 1} {
			var out struct {
				Node struct {
					Posts struct {
						TotalCount int
						Edges      []struct{ Node struct{ ID, Body string } }
					}
				}
			}
			h.ok(anonymous, q, vars{"id": f.public.topic, "n": n}, &out)
			posts := out.Node.Posts
			if posts.TotalCount != len(posted) || len(posts.Edges) != n {
				t.Fatalf("first %d: totalCount %d and %d edges, want %d and %d", n, posts.TotalCount, len(posts.Edges), len(posted), n)
			}
			for i, want := range posted[:n] {
				if got := posts.Edges[i].Node; got.ID != want.id || got.Body != want.body {
					t.Errorf("first %d, post %d: %+v, want id %s body %q", n, i, got, want.id, want.body)
				}
			}
		}
	})
}
