package eventtest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/eventregistration"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/ent/user"
)

// TestAudiences: who sees an event of each audience, through the root
// list, node(id:) and the iCalendar file; an association's editor creates
// events it organises only.
func TestAudiences(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		c := h.store.Client
		admin := h.account(user.RoleSECRETARIAT)
		ua, pl := h.place("UA", "Ukraine", "Chuhuiv"), h.place("PL", "Poland", "Zgierz")
		other := c.Municipality.Create().SetName("Kuldiga").SetCountryID(pl.country).SaveX(sys()).ID
		phase := c.Phase.Create().SetName("pilot").SaveX(sys())
		p := c.Partnership.Create().SetUkrainianMunicipalityID(ua.municipality).SetEuropeanMunicipalityID(pl.municipality).SetPhaseID(phase.ID).SaveX(sys())
		assoc := c.Association.Create().SetAcronym("ZMP").SetName("Association of Polish Cities").SaveX(sys()).ID
		uaStaff, otherStaff, editor := h.account(user.RoleNONE), h.account(user.RoleNONE), h.account(user.RoleNONE)
		h.member(uaStaff, membership.RoleMEMBER, &ua.municipality, nil)
		h.member(otherStaff, membership.RoleMEMBER, &other, nil)
		h.member(editor, membership.RoleEDITOR, nil, &assoc)

		start := time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC)
		create := `mutation($t: String!, $a: EventAudience!, $s: Time!, $e: Time!, $p: ID, $m: [ID!], $o: ID) {
			createEvent(input: {title: $t, kind: STUDY_VISIT, startsAt: $s, endsAt: $e, timeZone: "Europe/Warsaw", audience: $a,
				partnershipId: $p, invitedMunicipalityIds: $m, organiserId: $o}) { id } }`
		ids := map[string]string{}
		for _, aud := range []string{"PUBLIC", "MEMBERS", "PARTNERSHIP", "INVITED"} {
			ids[aud] = h.value(admin, create, vars{"t": aud, "a": aud, "s": start, "e": start.Add(time.Hour),
				"p": p.ID, "m": []int{other}}, "createEvent", "id")
		}
		ids["ORGANISED"] = h.value(editor, create, vars{"t": "ORGANISED", "a": "INVITED", "s": start, "e": start.Add(time.Hour),
			"m": []int{other}, "o": assoc}, "createEvent", "id")
		h.refused(uaStaff, "FORBIDDEN", create, vars{"t": "x", "a": "PUBLIC", "s": start, "e": start.Add(time.Hour), "o": assoc})
		h.refused(editor, "FORBIDDEN", create, vars{"t": "x", "a": "PUBLIC", "s": start, "e": start.Add(time.Hour)})
		h.refused(admin, "BAD_USER_INPUT", `mutation($s: Time!) { createEvent(input: {title: "x", kind: TRAINING, startsAt: $s, endsAt: $s, timeZone: "Mars/Olympus"}) { id } }`, vars{"s": start})

		sees := map[string][]string{
			"anonymous": {"PUBLIC"},
			"uaStaff":   {"MEMBERS", "PARTNERSHIP", "PUBLIC"},
			"other":     {"INVITED", "MEMBERS", "ORGANISED", "PUBLIC"},
			"editor":    {"MEMBERS", "ORGANISED", "PUBLIC"},
			"admin":     {"INVITED", "MEMBERS", "ORGANISED", "PARTNERSHIP", "PUBLIC"},
		}
		callers := map[string]caller{"anonymous": anonymous, "uaStaff": uaStaff, "other": otherStaff, "editor": editor, "admin": admin}
		for name, want := range sees {
			var out struct {
				Events struct {
					Edges []struct{ Node struct{ Title string } }
				}
			}
			resp := h.do(callers[name], `{ events(orderBy: {field: TITLE}) { edges { node { title } } } }`, nil)
			resp.NoErrors(t)
			resp.Decode(t, &out)
			var got []string
			for _, e := range out.Events.Edges {
				got = append(got, e.Node.Title)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s sees %v, want %v", name, got, want)
			}
			for title, id := range ids {
				if !slices.Contains(want, title) {
					h.hidden(callers[name], id)
				}
			}
		}
		if status, _ := h.get("/calendar/events/" + ids["PARTNERSHIP"] + ".ics"); status != 404 {
			t.Fatalf("anonymous PARTNERSHIP event file: %d", status)
		}
	})
}

// TestConcurrentRegistrations: many people registering at once for a few
// places, then the registered ones cancelling at once: exactly the
// capacity is registered, the waiting list has distinct positions, and
// each freed place goes to one waiting person.
func TestConcurrentRegistrations(t *testing.T) {
	eachAsDeployed(t, func(t *testing.T, h *hub) {
		admin := h.account(user.RoleSECRETARIAT)
		start := time.Date(2027, 4, 1, 8, 0, 0, 0, time.UTC)
		ev := h.value(admin, createTraining, vars{"t": "Popular", "cap": 3, "aud": "MEMBERS", "s": start, "e": start.Add(time.Hour)}, "createEvent", "id")
		people := make([]caller, 12)
		for i := range people {
			people[i] = h.account(user.RoleNONE)
		}
		regs := make([]string, len(people))
		var wg sync.WaitGroup
		for i, p := range people {
			wg.Go(func() {
				resp := h.do(p, register, vars{"e": ev})
				var out struct{ RegisterForEvent struct{ ID string } }
				if resp.Code() == "" {
					resp.Decode(t, &out)
				} else {
					t.Errorf("registration %d: %s", i, resp.Body)
				}
				regs[i] = out.RegisterForEvent.ID
			})
		}
		wg.Wait()
		eventID := h.intID(ev)
		check := func(registered, waitlisted int) {
			all := h.store.Client.EventRegistration.Query().Where(eventregistration.EventID(eventID)).AllX(sys())
			var r, w int
			positions := map[int]bool{}
			for _, x := range all {
				switch x.Status {
				case eventregistration.StatusREGISTERED:
					r++
				case eventregistration.StatusWAITLISTED:
					w++
					if positions[*x.Position] {
						t.Fatalf("two people at position %d", *x.Position)
					}
					positions[*x.Position] = true
				}
			}
			if r != registered || w != waitlisted {
				t.Fatalf("%d registered, %d waitlisted; want %d, %d", r, w, registered, waitlisted)
			}
		}
		for i, id := range regs {
			if id == "" {
				t.Fatalf("registration %d failed", i)
			}
		}
		check(3, 9)
		var cancelled []string
		byID := map[string]caller{}
		for i, p := range people {
			var st struct {
				Node struct{ Status string }
			}
			h.do(p, `query($id: ID!) { node(id: $id) { ... on EventRegistration { status } } }`, vars{"id": regs[i]}).Decode(t, &st)
			if st.Node.Status == "REGISTERED" {
				cancelled = append(cancelled, regs[i])
				byID[regs[i]] = p
			}
		}
		for _, id := range cancelled {
			wg.Go(func() {
				h.do(byID[id], `mutation($id: ID!) { cancelRegistration(id: $id) { status } }`, vars{"id": id})
			})
		}
		wg.Wait()
		if len(cancelled) != 3 {
			t.Fatalf("%d registered before cancelling", len(cancelled))
		}
		check(3, 6)
		if n := h.store.Client.Notification.Query().Where(notification.KindEQ(notification.KindEVENT_PROMOTED)).CountX(sys()); n != 3 {
			t.Fatalf("%d promotion notifications, want 3", n)
		}
	})
}
