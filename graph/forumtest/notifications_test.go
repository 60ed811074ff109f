package forumtest

import (
	"testing"

	"github.com/bridgesoftrust/hub/ent/membership"
)

// notifications returns c's notifications as "KIND subject" lines, oldest first.
func notifications(h *hub, c caller) []string {
	h.t.Helper()
	var data struct {
		Notifications struct {
			Edges []struct {
				Node struct {
					Kind     string
					Post     *struct{ ID string }
					NewsItem *struct{ ID string }
					Actor    *struct{ ID string }
				}
			}
		}
	}
	h.ok(c, `{ notifications(first: 50) { edges { node { kind post { id } newsItem { id } actor { id } } } } }`, nil, &data)
	var out []string
	for _, e := range data.Notifications.Edges {
		subject := ""
		switch {
		case e.Node.Post != nil:
			subject = e.Node.Post.ID
		case e.Node.NewsItem != nil:
			subject = e.Node.NewsItem.ID
		}
		out = append(out, e.Node.Kind+" "+subject)
	}
	return out
}

// expect checks c's notifications.
func expect(t *testing.T, h *hub, name string, c caller, want ...string) {
	t.Helper()
	got := notifications(h, c)
	if len(got) != len(want) {
		t.Errorf("%s has notifications %q, want %q", name, got, want)
		return
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s has notifications %q, want %q", name, got, want)
			return
		}
	}
}

func TestReplyAndMentionNotifications(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		f := newForum(h)
		carol := h.user("carol")
		reply := h.post(f.bob, f.public.topic, "I agree with @Alice and @carol", f.public.post)
		expect(t, h, "alice, author of the topic and of the post answered", f.alice, "REPLY "+reply)
		expect(t, h, "carol", carol, "MENTION "+reply)
		expect(t, h, "bob", f.bob)
		edit := `mutation($id: ID!, $b: String!) { updatePost(id: $id, input: {body: $b}) { id } }`
		h.ok(f.bob, edit, vars{"id": reply, "b": "I agree with @alice, @carol and @bob"}, nil)
		expect(t, h, "carol after the edit", carol, "MENTION "+reply)
		expect(t, h, "bob after mentioning himself", f.bob)
		answer := h.post(f.alice, f.public.topic, "Thanks @bob", reply)
		expect(t, h, "bob", f.bob, "REPLY "+answer)
		expect(t, h, "alice after replying in her own topic", f.alice, "REPLY "+reply)
		h.post(f.admin, f.secret.topic, "ping @carol", "")
		expect(t, h, "carol after a mention she may not read", carol, "MENTION "+reply)
		fromCarol := h.post(carol, f.public.topic, "me too", "")
		expect(t, h, "alice", f.alice, "REPLY "+reply, "REPLY "+fromCarol)
		checkReadMarks(t, h, f.alice, f.bob)
	})
}

// checkReadMarks checks the unread count and marking read; other is a
// user who must not reach alice's notifications.
func checkReadMarks(t *testing.T, h *hub, alice, other caller) {
	unread := `{ me { unreadNotificationCount } }`
	if got := h.value(alice, unread, nil, "me", "unreadNotificationCount"); got != "2" {
		t.Fatalf("unread = %s, want 2", got)
	}
	var list struct {
		Notifications struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	h.ok(alice, `{ notifications { edges { node { id } } } }`, nil, &list)
	first := list.Notifications.Edges[0].Node.ID
	mark := `mutation($id: ID!) { markNotificationRead(id: $id) { readAt } }`
	h.refused(other, "NOT_FOUND", mark, vars{"id": first})
	h.refused(anonymous, "UNAUTHENTICATED", `mutation { markAllNotificationsRead }`, nil)
	h.ok(alice, mark, vars{"id": first}, nil)
	if got := h.value(alice, unread, nil, "me", "unreadNotificationCount"); got != "1" {
		t.Errorf("unread after marking one = %s, want 1", got)
	}
	if got := h.value(alice, `mutation { markAllNotificationsRead }`, nil, "markAllNotificationsRead"); got != "1" {
		t.Errorf("markAllNotificationsRead = %s, want 1", got)
	}
	if got := h.value(alice, unread, nil, "me", "unreadNotificationCount"); got != "0" {
		t.Errorf("unread after marking all = %s, want 0", got)
	}
	if n := h.count(other, "notifications", ""); n != 1 {
		t.Errorf("another user sees %d notifications, want their own 1", n)
	}
}

func TestNewsNotifications(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		pl := newPlaces(h)
		editor, uaStaff, plStaff, otherStaff, disabled := h.user(""), h.user(""), h.user(""), h.user(""), h.user("")
		h.member(editor, membership.RoleEDITOR, nil, &pl.association)
		h.member(editor, membership.RoleMEMBER, &pl.pl, nil)
		h.member(uaStaff, membership.RoleMEMBER, &pl.ua, nil)
		h.member(plStaff, membership.RoleEDITOR, &pl.pl, nil)
		h.member(otherStaff, membership.RoleMEMBER, &pl.other, nil)
		h.member(disabled, membership.RoleMEMBER, &pl.ua, nil)
		h.entClient().User.UpdateOneID(intID(t, disabled.id)).SetDisabled(true).ExecX(sys())
		id := h.value(editor, createNews, vars{"t": "Water", "p": []string{gid(pl.partnership)}}, "createNewsItem", "id")
		expect(t, h, "ua staff before publishing", uaStaff)
		h.ok(editor, publishNews, vars{"id": id}, nil)
		expect(t, h, "ua staff", uaStaff, "NEWS "+id)
		expect(t, h, "pl staff", plStaff, "NEWS "+id)
		expect(t, h, "other staff", otherStaff)
		expect(t, h, "the editor who published", editor)
		h.ok(editor, `mutation($id: ID!, $m: ID!) { updateNewsItem(id: $id, input: {addMunicipalityIDs: [$m]}) { id } }`,
			vars{"id": id, "m": gid(pl.other)}, nil)
		h.ok(editor, publishNews, vars{"id": id}, nil)
		expect(t, h, "ua staff after re-publishing", uaStaff, "NEWS "+id)
		expect(t, h, "other staff once linked", otherStaff, "NEWS "+id)
		n := h.entClient().Notification.Query().CountX(sys())
		if n != 3 {
			t.Errorf("%d notifications in the store, want 3 (the disabled user gets none)", n)
		}
	})
}
