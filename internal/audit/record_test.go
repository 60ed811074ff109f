package audit_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

const auditQuery = `query($where: AuditLogWhereInput, $order: [AuditLogOrder!]) {
  auditLogs(first: 100, where: $where, orderBy: $order) { totalCount edges { node {
    at actorID actorLabel entity entityID operation changedFields } } } }`

// entry is an audit log entry as the API shows it.
type entry struct {
	At            time.Time
	ActorID       *int
	ActorLabel    string
	Entity        string
	EntityID      int
	Operation     string
	ChangedFields []string
}

// entries queries the audit log as the named user.
func (w *world) entries(t *testing.T, as string, where map[string]any, order ...map[string]any) []entry {
	t.Helper()
	vars := map[string]any{"where": where}
	if len(order) > 0 {
		vars["order"] = order
	}
	resp := w.post(t, as, auditQuery, vars)
	resp.NoErrors(t)
	var data struct {
		AuditLogs struct {
			TotalCount int
			Edges      []struct{ Node entry }
		}
	}
	resp.Decode(t, &data)
	out := make([]entry, len(data.AuditLogs.Edges))
	for i, e := range data.AuditLogs.Edges {
		out[i] = e.Node
	}
	if data.AuditLogs.TotalCount != len(out) {
		t.Fatalf("totalCount %d with %d entries", data.AuditLogs.TotalCount, len(out))
	}
	return out
}

// mustCreate runs a create mutation as the named user and returns the id
// of the created record.
func (w *world) mustCreate(t *testing.T, as, query string, vars map[string]any) int {
	t.Helper()
	resp := w.post(t, as, query, vars)
	resp.NoErrors(t)
	var data map[string]struct{ ID string }
	resp.Decode(t, &data)
	for _, v := range data {
		n, err := json.Number(v.ID).Int64()
		if err != nil {
			t.Fatalf("id %q: %v", v.ID, err)
		}
		return int(n)
	}
	t.Fatalf("no id in %s", resp.Data)
	return 0
}

// describe shows an entry without its time, for comparisons.
func describe(e entry) string {
	actor := "system"
	if e.ActorID != nil {
		actor = id(*e.ActorID)
	}
	return strings.Join([]string{actor, e.ActorLabel, e.Entity, id(e.EntityID), e.Operation, strings.Join(e.ChangedFields, ",")}, " ")
}

func TestAuditRecordsWhoChangedWhat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		w := newWorld(t, store)
		w.post(t, "editor", updateWebsite, map[string]any{"id": w.alpha.ID, "w": "https://alpha.example.org"}).NoErrors(t)
		p := w.mustCreate(t, "secretariat", createPartnership, w.partnershipVars(w.alpha))
		m := w.mustCreate(t, "secretariat", `mutation($u: ID!, $m: ID!) { createMembership(input: {userID: $u, municipalityID: $m, role: ADMIN}) { id } }`,
			map[string]any{"u": w.users["member"].ID, "m": w.gamma.ID})
		w.post(t, "secretariat", `mutation($id: ID!) { deleteMembership(id: $id) }`, map[string]any{"id": m}).NoErrors(t)

		editor, secretariat := id(w.users["editor"].ID), id(w.users["secretariat"].ID)
		want := map[string][]string{
			"Municipality": {editor + " The editor Municipality " + id(w.alpha.ID) + " UPDATE website"},
			"Partnership": {secretariat + " The secretariat Partnership " + id(p) +
				" CREATE created_at,european_country_id,european_municipality,european_municipality_id,phase,phase_id,status,ukrainian_country_id,ukrainian_municipality,ukrainian_municipality_id,ukrainian_region_id"},
			"Membership": {
				secretariat + " The secretariat Membership " + id(m) + " CREATE created_at,municipality,municipality_id,role,user,user_id",
				secretariat + " The secretariat Membership " + id(m) + " DELETE ",
			},
		}
		for entity, lines := range want {
			var got []string
			for _, e := range w.entries(t, "secretariat", map[string]any{"entity": entity, "actorIDNotNil": true},
				map[string]any{"field": "AT", "direction": "ASC"}) {
				got = append(got, describe(e))
			}
			if !slices.Equal(got, lines) {
				t.Errorf("%s entries:\n got %q\nwant %q", entity, got, lines)
			}
		}
	})
}

// TestAuditRecordsNothingForRefusedChanges makes changes that are denied
// or fail, one of them after a change that succeeded in the same request:
// the audit log, like the data, is as before.
func TestAuditRecordsNothingForRefusedChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		w := newWorld(t, store)
		before := w.auditCount(t)
		website := map[string]any{"id": w.alpha.ID, "w": "https://alpha.example.org"}
		wantCode(t, "a member edits the municipality", w.post(t, "member", updateWebsite, website), "FORBIDDEN")
		wantCode(t, "an anonymous change", w.post(t, "", createPartnership, w.partnershipVars(w.gamma)), "UNAUTHENTICATED")
		wantCode(t, "an invalid website", w.post(t, "secretariat", updateWebsite, map[string]any{"id": w.alpha.ID, "w": "not a link"}), "BAD_USER_INPUT")
		resp := w.post(t, "secretariat", `mutation($id: ID!, $w: String!, $ua: ID!, $eu: ID!, $ph: ID!) {
  ok: updateMunicipality(id: $id, input: {website: $w}) { id }
  failing: createPartnership(input: {ukrainianMunicipalityID: $eu, europeanMunicipalityID: $ua, phaseID: $ph}) { id } }`,
			map[string]any{"id": w.alpha.ID, "w": "https://rolled-back.example.org", "ua": w.gamma.ID, "eu": w.beta.ID, "ph": w.phase.ID})
		if resp.Code() == "" {
			t.Fatalf("a partnership with its countries swapped was accepted: %s", resp.Body)
		}
		if after := w.auditCount(t); after != before {
			t.Errorf("%d audit entries after refused changes, want %d", after, before)
		}
		if got := store.Client.Municipality.GetX(sys(), w.alpha.ID).Website; got != "" {
			t.Errorf("Alpha's website is %q: the change before the failing one was not rolled back", got)
		}
	})
}

// wantCode fails the test unless resp's first error has code.
func wantCode(t *testing.T, what string, resp *gqltest.Response, code string) {
	t.Helper()
	if got := resp.Code(); got != code {
		t.Errorf("%s: got %q (status %d: %s), want %s", what, got, resp.Status, resp.Body, code)
	}
}

// TestSecretariatSearchesTheAuditLog filters the audit log by entity,
// operation and time, and orders it; only the secretariat sees it.
func TestSecretariatSearchesTheAuditLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		w := newWorld(t, store)
		edit := func(as string, m int, site string) {
			w.post(t, as, updateWebsite, map[string]any{"id": m, "w": site}).NoErrors(t)
		}
		edit("editor", w.alpha.ID, "https://one.example.org")
		w.mustCreate(t, "secretariat", createPartnership, w.partnershipVars(w.alpha))
		between := time.Now()
		edit("editor", w.alpha.ID, "https://two.example.org")
		edit("secretariat", w.gamma.ID, "https://gamma.example.org")

		updates := map[string]any{"entity": "Municipality", "operation": "UPDATE"}
		desc := map[string]any{"field": "AT", "direction": "DESC"}
		wantIDs(t, "municipality updates, latest first", w.entries(t, "secretariat", updates, desc), w.gamma.ID, w.alpha.ID, w.alpha.ID)
		later := map[string]any{"entity": "Municipality", "operation": "UPDATE", "atGTE": between.Format(time.RFC3339Nano)}
		wantIDs(t, "municipality updates since", w.entries(t, "secretariat", later, desc), w.gamma.ID, w.alpha.ID)
		earlier := map[string]any{"entity": "Municipality", "atLT": between.Format(time.RFC3339Nano), "operationIn": []string{"UPDATE", "DELETE"}}
		wantIDs(t, "municipality updates before", w.entries(t, "secretariat", earlier), w.alpha.ID)
		checkOrder(t, w.entries(t, "secretariat", map[string]any{"actorIDNotNil": true},
			map[string]any{"field": "ENTITY", "direction": "ASC"}, desc))
		for _, as := range []string{"editor", "member", ""} {
			if got := w.entries(t, as, nil); len(got) != 0 {
				t.Errorf("%q sees %d audit entries, want none", as, len(got))
			}
		}
	})
}

// wantIDs compares the entity ids of entries, in order, with ids.
func wantIDs(t *testing.T, what string, entries []entry, ids ...int) {
	t.Helper()
	got := make([]int, len(entries))
	for i, e := range entries {
		got[i] = e.EntityID
	}
	if !slices.Equal(got, ids) {
		t.Errorf("%s: entity ids %v, want %v", what, got, ids)
	}
}

// checkOrder checks that entries are ordered by entity, then latest first,
// and span more than one entity.
func checkOrder(t *testing.T, entries []entry) {
	t.Helper()
	less := func(a, b entry) bool { return a.Entity < b.Entity || a.Entity == b.Entity && a.At.After(b.At) }
	for i := 1; i < len(entries); i++ {
		if less(entries[i], entries[i-1]) {
			t.Errorf("entry %d (%s %s) comes after %s %s", i, entries[i].Entity, entries[i].At, entries[i-1].Entity, entries[i-1].At)
		}
	}
	if len(entries) < 2 || entries[0].Entity == entries[len(entries)-1].Entity {
		t.Errorf("ordered %d entries of a single entity; want several entities", len(entries))
	}
}
