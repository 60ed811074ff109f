package eventtest

import (
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/events"
)

// TestWaitingListAndPeopleTrained: a training at capacity puts the next
// person on the waiting list; a cancellation moves the first waiting person
// up and notifies them; attendance recorded by the organiser counts each
// person once in the people-trained figure.
func TestWaitingListAndPeopleTrained(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		admin := h.account(user.RoleSECRETARIAT)
		chuhuiv := h.place("UA", "Ukraine", "Chuhuiv")
		a, b, c, outsider := h.account(user.RoleNONE), h.account(user.RoleNONE), h.account(user.RoleNONE), h.account(user.RoleNONE)
		for _, u := range []caller{a, b, c} {
			h.member(u, membership.RoleMEMBER, &chuhuiv.municipality, nil)
		}
		start := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		ev := h.value(admin, createTraining, vars{"t": "EU project design", "cap": 1, "aud": "MEMBERS",
			"s": start, "e": start.Add(3 * time.Hour)}, "createEvent", "id")

		h.hidden(anonymous, ev)
		h.refused(anonymous, "UNAUTHENTICATED", register, vars{"e": ev})

		ra := h.value(a, register, vars{"e": ev}, "registerForEvent")
		if want := `"status":"REGISTERED"`; !contains(ra, want) {
			t.Fatalf("first registration: %s", ra)
		}
		rb := h.value(b, register, vars{"e": ev}, "registerForEvent")
		if !contains(rb, `"position":1`) || !contains(rb, `"WAITLISTED"`) {
			t.Fatalf("second registration at capacity: %s", rb)
		}
		rc := h.value(a, register, vars{"e": ev, "u": c.id}, "registerForEvent")
		if !contains(rc, `"position":2`) {
			t.Fatalf("registration of a colleague: %s", rc)
		}
		h.refused(outsider, "FORBIDDEN", register, vars{"e": ev, "u": a.id})
		h.refused(b, "BAD_USER_INPUT", register, vars{"e": ev})

		idA := h.value(a, `query($e: ID!) { node(id: $e) { ... on Event { myRegistration { id } } } }`, vars{"e": ev}, "node", "myRegistration", "id")
		idB := h.value(b, `query($e: ID!) { node(id: $e) { ... on Event { myRegistration { id } } } }`, vars{"e": ev}, "node", "myRegistration", "id")
		if got := h.value(a, `mutation($id: ID!) { cancelRegistration(id: $id) { status } }`, vars{"id": idA}, "cancelRegistration", "status"); got != "CANCELLED" {
			t.Fatalf("cancel: %s", got)
		}
		if got := h.value(b, `query($id: ID!) { node(id: $id) { ... on EventRegistration { status position } } }`, vars{"id": idB}, "node"); got != `{"position":null,"status":"REGISTERED"}` {
			t.Fatalf("first waiting person after the cancellation: %s", got)
		}
		notes := h.value(b, `{ notifications { edges { node { kind eventRegistration { id } } } } }`, nil, "notifications", "edges")
		if !contains(notes, `"kind":"EVENT_PROMOTED"`) || !contains(notes, idB) {
			t.Fatalf("promoted person's notifications: %s", notes)
		}
		if got := h.value(admin, `query($e: ID!) { node(id: $e) { ... on Event { registeredCount waitlistedCount } } }`, vars{"e": ev}, "node"); got != `{"registeredCount":1,"waitlistedCount":1}` {
			t.Fatalf("counts: %s", got)
		}

		// Others' registrations are not theirs to see or change.
		h.hidden(outsider, idB)
		h.refused(b, "NOT_FOUND", `mutation($id: ID!) { recordAttendance(registrationId: $id) { status } }`, vars{"id": idB})

		attend := `mutation($id: ID!) { recordAttendance(registrationId: $id) { status } }`
		for range 2 {
			if got := h.value(admin, attend, vars{"id": idB}, "recordAttendance", "status"); got != "ATTENDED" {
				t.Fatalf("attendance: %s", got)
			}
		}
		// A second training attended by the same person counts them once.
		ev2 := h.value(admin, createTraining, vars{"t": "Accession reforms", "s": start.AddDate(0, 1, 0), "e": start.AddDate(0, 1, 0).Add(time.Hour)}, "createEvent", "id")
		id2 := h.value(b, register, vars{"e": ev2}, "registerForEvent", "id")
		h.value(admin, attend, vars{"id": id2}, "recordAttendance", "status")

		trained, err := events.PeopleTrained(sys(), h.store.Client, nil)
		if err != nil {
			t.Fatal(err)
		}
		if trained.Total != 1 || trained.ByMunicipality[chuhuiv.municipality] != 1 || trained.ByCountry[chuhuiv.country] != 1 {
			t.Fatalf("people trained: %+v", trained)
		}
		// The programme's figure through the API, for anyone: the same person once.
		if got := h.value(anonymous, `{ programmeFigures { peopleTrained { live } } }`, nil, "programmeFigures", "peopleTrained", "live"); got != "1" {
			t.Fatalf("programmeFigures peopleTrained: %s, want 1", got)
		}
	})
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestRaisedCapacityMovesTheWaitingListUp: raising the capacity registers
// the first people waiting, each notified; an outsider cannot change it.
func TestRaisedCapacityMovesTheWaitingListUp(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		admin := h.account(user.RoleSECRETARIAT)
		start := time.Date(2027, 9, 1, 9, 0, 0, 0, time.UTC)
		ev := h.value(admin, createTraining, vars{"t": "Grant writing", "cap": 1, "s": start, "e": start.Add(time.Hour)}, "createEvent", "id")
		people := []caller{h.account(user.RoleNONE), h.account(user.RoleNONE), h.account(user.RoleNONE), h.account(user.RoleNONE)}
		for _, p := range people {
			h.value(p, register, vars{"e": ev}, "registerForEvent", "id")
		}
		update := `mutation($id: ID!, $c: Int) { updateEvent(id: $id, input: {capacity: $c}) { registeredCount waitlistedCount } }`
		h.refused(people[0], "FORBIDDEN", update, vars{"id": ev, "c": 10})
		if got := h.value(admin, update, vars{"id": ev, "c": 3}, "updateEvent"); got != `{"registeredCount":3,"waitlistedCount":1}` {
			t.Fatalf("after raising the capacity: %s", got)
		}
		for i, p := range people {
			notes := h.value(p, `{ notifications { totalCount } }`, nil, "notifications", "totalCount")
			if want := map[bool]string{true: "1", false: "0"}[i == 1 || i == 2]; notes != want {
				t.Errorf("person %d has %s notifications, want %s", i, notes, want)
			}
		}
		if got := h.value(admin, `mutation($id: ID!) { updateEvent(id: $id, input: {clearCapacity: true}) { registeredCount waitlistedCount } }`, vars{"id": ev}, "updateEvent"); got != `{"registeredCount":4,"waitlistedCount":0}` {
			t.Fatalf("after lifting the limit: %s", got)
		}
	})
}

// TestReminders: the people registered for an event starting within the
// next day are reminded once; the waiting list and later events are not;
// an event that ended takes no registrations.
func TestReminders(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		admin, a, b := h.account(user.RoleSECRETARIAT), h.account(user.RoleNONE), h.account(user.RoleNONE)
		now := time.Now()
		soon := h.value(admin, createTraining, vars{"t": "Tomorrow", "cap": 1, "s": now.Add(12 * time.Hour), "e": now.Add(14 * time.Hour)}, "createEvent", "id")
		later := h.value(admin, createTraining, vars{"t": "Next month", "s": now.AddDate(0, 1, 0), "e": now.AddDate(0, 1, 0).Add(time.Hour)}, "createEvent", "id")
		for _, e := range []string{soon, later} {
			h.value(a, register, vars{"e": e}, "registerForEvent", "id")
			h.value(b, register, vars{"e": e}, "registerForEvent", "id")
		}
		for want := range []int{1, 0} {
			n, err := events.Remind(sys(), h.store.Client, now, 24*time.Hour)
			if err != nil || n != 1-want {
				t.Fatalf("run %d reminded %d, %v", want, n, err)
			}
		}
		if got := h.value(a, `{ notifications { edges { node { kind eventRegistration { event { title } } } } } }`, nil, "notifications", "edges"); got != `[{"node":{"eventRegistration":{"event":{"title":"Tomorrow"}},"kind":"EVENT_REMINDER"}}]` {
			t.Fatalf("reminders of the registered person: %s", got)
		}
		if got := h.value(b, `{ notifications { totalCount } }`, nil, "notifications", "totalCount"); got != "0" {
			t.Fatalf("the waiting person was reminded: %s", got)
		}
		past := h.value(admin, createTraining, vars{"t": "Last year", "s": now.AddDate(-1, 0, 0), "e": now.AddDate(-1, 0, 0).Add(time.Hour)}, "createEvent", "id")
		h.refused(a, "BAD_USER_INPUT", register, vars{"e": past})
	})
}
