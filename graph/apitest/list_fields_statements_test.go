package apitest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/flag"
	entpost "github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// listFieldCases read the hand-written fields of list items (an event's
// tallies, sessions and the viewer's registration; a flag's moderator)
// for a whole page.
var listFieldCases = []statementCase{
	{name: "events with tallies and sessions, anonymous", query: `{ events(first: 50) { edges { node { title
		registeredCount waitlistedCount sessionList { title startsAt } myRegistration { status } } } } }`},
	{name: "events with tallies and sessions, signed in", query: `{ events(first: 50) { edges { node { title
		registeredCount waitlistedCount sessionList { title startsAt } myRegistration { status } } } } }`, signedIn: true},
	{name: "flags with their moderators", query: `{ flags(first: 50) { edges { node { reason status resolvedBy { displayName } } } } }`,
		signedIn: true},
}

// fillEvents adds n public events of two sessions each, with registrations
// of registered and waitlisted people, and n resolved flags on forum
// posts, each resolved by one of three moderators.
func fillEvents(t *testing.T, c *ent.Client, n int) {
	t.Helper()
	users := make([]*ent.User, 6)
	for i := range users {
		users[i] = c.User.Create().SetEmail(fmt.Sprintf("member%d@example.org", i)).SetDisplayName(fmt.Sprint("Member ", i)).SaveX(sys())
	}
	start := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * 24 * time.Hour)
		e := c.Event.Create().SetTitle(fmt.Sprint("Training ", i)).SetKind(event.KindTRAINING).SetAudience(event.AudiencePUBLIC).
			SetStartsAt(at).SetEndsAt(at.Add(26 * time.Hour)).SetTimeZone("Europe/Kyiv").SaveX(sys())
		for j := range 2 {
			s := at.Add(time.Duration(j) * 24 * time.Hour)
			c.EventSession.Create().SetEventID(e.ID).SetTitle(fmt.Sprint("Day ", j+1)).SetStartsAt(s).SetEndsAt(s.Add(2 * time.Hour)).
				SetTimeZone("Europe/Kyiv").ExecX(sys())
		}
		for j, u := range users[:3] {
			status := eventregistration.StatusREGISTERED
			if j == 2 {
				status = eventregistration.StatusWAITLISTED
			}
			c.EventRegistration.Create().SetEventID(e.ID).SetUserID(u.ID).SetStatus(status).ExecX(sys())
		}
	}
	fillForum(t, c, 1, n, 2)
	for i, p := range c.Post.Query().Order(entpost.ByID()).AllX(sys()) {
		c.Flag.Create().SetPostID(p.ID).SetReporterID(users[3].ID).SetReason("off topic").SetStatus(flag.StatusRESOLVED).
			SetResolution(flag.ResolutionDISMISS).SetResolvedAt(time.Now()).SetResolvedByID(users[3+i%3].ID).ExecX(sys())
	}
}

// TestListFieldsCostNoStatementPerItem: the hand-written fields of list
// items are read for the whole list at once, so that a page of 30 events
// or flags costs the statements of a page of 3, and the values are the
// items' own.
func TestListFieldsCostNoStatementPerItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, small *db.Store) {
		stores := []*db.Store{small, dbtest.Open(t, dbtestDialect(small))}
		counts := make([][]int, len(stores))
		for i, store := range stores {
			n := 3 + 27*i
			fillEvents(t, store.Client, n)
			cs, c := counted(store)
			h := serve(t, cs)
			for _, sc := range listFieldCases {
				counts[i] = append(counts[i], len(countStatements(t, h, c, sc.signedIn, sc.query, sc.vars, nil)))
			}
			checkListFieldValues(t, h, n)
		}
		for j, sc := range listFieldCases {
			t.Logf("%s: %d statements for 3 items, %d for 30", sc.name, counts[0][j], counts[1][j])
			if counts[0][j] != counts[1][j] {
				t.Errorf("%s: %d statements for 3 items, %d for 30", sc.name, counts[0][j], counts[1][j])
			}
		}
	})
}

// checkListFieldValues checks the batched values against what fillEvents
// wrote: 2 registered and 1 waitlisted per event, two sessions in order, a
// moderator for each of n flags; and the viewer's own registration, which
// the secretariat has (registered) for the last event only.
func checkListFieldValues(t *testing.T, h *hub, n int) {
	t.Helper()
	var me struct{ Me struct{ ID string } }
	resp := h.mutate(t, `{ me { id } }`, nil)
	resp.NoErrors(t)
	resp.Decode(t, &me)
	last := h.store.Client.Event.Query().Order(event.ByStartsAt()).AllX(sys())[n-1]
	meID, err := strconv.Atoi(me.Me.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.store.Client.EventRegistration.Create().SetEventID(last.ID).SetUserID(meID).ExecX(sys())
	var events struct {
		Events struct {
			Edges []struct {
				Node struct {
					Title                            string
					RegisteredCount, WaitlistedCount int
					SessionList                      []struct{ Title string }
					MyRegistration                   *struct{ Status string }
				}
			}
		}
	}
	resp = h.mutate(t, listFieldCases[1].query, nil)
	resp.NoErrors(t)
	resp.Decode(t, &events)
	if len(events.Events.Edges) != n {
		t.Fatalf("%d events, want %d", len(events.Events.Edges), n)
	}
	for _, e := range events.Events.Edges {
		ev := e.Node
		mine := ev.Title == last.Title
		registered := 2
		if mine {
			registered = 3
		}
		if ev.RegisteredCount != registered || ev.WaitlistedCount != 1 || len(ev.SessionList) != 2 ||
			ev.SessionList[0].Title != "Day 1" || ev.SessionList[1].Title != "Day 2" || (ev.MyRegistration != nil) != mine {
			t.Errorf("event %q: %+v", ev.Title, ev)
		}
		if mine && ev.MyRegistration.Status != "REGISTERED" {
			t.Errorf("event %q: my registration %+v", ev.Title, ev.MyRegistration)
		}
	}
	var flags struct {
		Flags struct {
			Edges []struct {
				Node struct{ ResolvedBy *struct{ DisplayName string } }
			}
		}
	}
	resp = h.mutate(t, listFieldCases[2].query, nil)
	resp.NoErrors(t)
	resp.Decode(t, &flags)
	moderators := map[string]int{}
	for _, f := range flags.Flags.Edges {
		if f.Node.ResolvedBy == nil {
			t.Fatalf("a resolved flag without its moderator")
		}
		moderators[f.Node.ResolvedBy.DisplayName]++
	}
	if len(flags.Flags.Edges) != n || len(moderators) != min(n, 3) || !strings.HasPrefix(flags.Flags.Edges[0].Node.ResolvedBy.DisplayName, "Member ") {
		t.Errorf("%d flags, moderators %v", len(flags.Flags.Edges), moderators)
	}
}
