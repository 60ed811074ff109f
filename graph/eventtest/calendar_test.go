package eventtest

import (
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/npmtest"
)

// get fetches path of the Hub without credentials.
func (h *hub) get(path string) (int, string) {
	h.t.Helper()
	resp, err := http.Get(h.base + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// parse parses an iCalendar file and returns its VEVENTs' summaries.
func parse(t *testing.T, body string) []string {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing the iCalendar file: %v\n%s", err, body)
	}
	var out []string
	for _, e := range cal.Events() {
		out = append(out, e.GetProperty(ics.ComponentPropertySummary).Value)
		if e.GetProperty(ics.ComponentPropertyDtStart) == nil || e.GetProperty(ics.ComponentPropertyUniqueId) == nil {
			t.Fatalf("VEVENT without DTSTART or UID:\n%s", body)
		}
	}
	return out
}

// TestCalendarFeeds: an event's file and a user's feed open in a calendar
// parser; a MEMBERS event's file is not served to anonymous callers; the
// feed needs its signed address only.
func TestCalendarFeeds(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		admin, b := h.account(user.RoleSECRETARIAT), h.account(user.RoleNONE)
		start := time.Date(2027, 5, 10, 7, 0, 0, 0, time.UTC)
		public := h.value(admin, createTraining, vars{"t": "Solidarity, forum; day 1", "aud": "PUBLIC", "s": start, "e": start.Add(2 * time.Hour)}, "createEvent", "id")
		h.value(admin, `mutation($e: ID!, $s: Time!, $x: Time!) { addEventSession(input: {eventId: $e, title: "Study visit", startsAt: $s, endsAt: $x, timeZone: "Europe/Warsaw", place: "Zgierz"}) { id } }`,
			vars{"e": public, "s": start.AddDate(0, 0, 1), "x": start.AddDate(0, 0, 1).Add(time.Hour)}, "addEventSession", "id")
		members := h.value(admin, createTraining, vars{"t": "Members only", "aud": "MEMBERS", "s": start, "e": start.Add(time.Hour)}, "createEvent", "id")

		status, body := h.get("/calendar/events/" + public + ".ics")
		if got := parse(t, body); status != 200 || len(got) != 2 || got[0] != "Solidarity, forum; day 1" || got[1] != "Solidarity, forum; day 1: Study visit" {
			t.Fatalf("event file: %d %q\n%s", status, got, body)
		}
		if status, _ := h.get("/calendar/events/" + members + ".ics"); status != http.StatusNotFound {
			t.Fatalf("anonymous MEMBERS event file: %d", status)
		}

		h.value(b, register, vars{"e": members}, "registerForEvent", "id")
		feed := h.value(b, `{ myCalendarFeedUrl }`, nil, "myCalendarFeedUrl")
		status, body = h.get(feed)
		if got := parse(t, body); status != 200 || len(got) != 1 || got[0] != "Members only" {
			t.Fatalf("user feed: %d %q\n%s", status, got, body)
		}
		if status, _ := h.get(strings.Replace(feed, "/users/", "/users/x", 1)); status != http.StatusNotFound {
			t.Fatalf("forged feed address: %d", status)
		}
	})
}

// TestCalendarOpensInICALJS opens an event's iCalendar file with ical.js,
// the parser of web calendar apps (Node.js; see internal/npmtest).
func TestCalendarOpensInICALJS(t *testing.T) {
	node, dir := npmtest.Dir(t, "testdata", "ical.js")
	each(t, func(t *testing.T, h *hub) {
		admin := h.account(user.RoleSECRETARIAT)
		start := time.Date(2027, 5, 10, 7, 0, 0, 0, time.UTC)
		ev := h.value(admin, createTraining, vars{"t": "Info: EU funds, accession", "aud": "PUBLIC", "s": start, "e": start.Add(90 * time.Minute)}, "createEvent", "id")
		status, body := h.get("/calendar/events/" + ev + ".ics")
		if status != http.StatusOK {
			t.Fatalf("event file: %d", status)
		}
		cmd := exec.Command(node, filepath.Join(dir, "parse.mjs"))
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(body)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ical.js: %v\n%s\n%s", err, out, body)
		}
		var got []struct{ Summary, Start, End, UID string }
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Summary != "Info: EU funds, accession" || got[0].Start != "2027-05-10T07:00:00.000Z" ||
			got[0].End != "2027-05-10T08:30:00.000Z" || !strings.HasPrefix(got[0].UID, "event-session-") {
			t.Fatalf("ical.js read %s", out)
		}
	})
}
