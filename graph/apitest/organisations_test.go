package apitest

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// TestWhoDoesWhatWhere: the secretariat adds two organisations; each
// one's staff edit their own organisation and initiatives only; the
// municipality lists every actor active there; the overlap of two
// initiatives in the same municipality and sector is found.
func TestWhoDoesWhatWhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := newLibraryHub(t, store)
		c := store.Client
		assoc := c.Association.Create().SetAcronym("AUC").SetName("Association of Ukrainian Cities").
			AddMemberIDs(h.municipality).SaveX(sys())
		pl := c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys())
		zmp := c.Association.Create().SetAcronym("ZMP").SetName("Association of Polish Cities").SetCountry(pl).SaveX(sys())
		c.Partnership.Create().SetUkrainianMunicipalityID(h.municipality).
			SetEuropeanMunicipality(c.Municipality.Create().SetName("Lublin").SetCountry(pl).SaveX(sys())).
			SetPhase(c.Phase.Create().SetName("recovery").SaveX(sys())).AddFacilitators(zmp, assoc).SaveX(sys())
		org := func(name, kind string) string {
			return h.as(t, h.admin, `mutation($n: String!, $k: OrganisationKind) { createOrganisation(input: {name: $n, kind: $k}) { id } }`,
				map[string]any{"n": name, "k": kind}, "createOrganisation", "id")
		}
		ulead, giz := org("U-LEAD with Europe", "PROGRAMME"), org("GIZ", "DONOR")
		uleadID, _ := strconv.Atoi(ulead)
		staff := authtest.Staff(t, store, membership.RoleEDITOR, func(m *ent.MembershipCreate) { m.SetOrganisationID(uleadID) })

		update := `mutation($id: ID!) { updateOrganisation(id: $id, input: {website: "https://u-lead.org.ua"}) { website } }`
		h.as(t, staff, update, map[string]any{"id": ulead}, "updateOrganisation", "website")
		if resp := gqltest.Post(t, h.endpoint, update, map[string]any{"id": giz}, staff); resp.Code() != "FORBIDDEN" {
			t.Fatalf("staff of U-LEAD changed GIZ: %s", resp.Body)
		}
		initiative := func(header http.Header, org, title string, sectors []string, ends string) *gqltest.Response {
			var e any
			if ends != "" {
				e = ends
			}
			return gqltest.Post(t, h.endpoint, `mutation($o: ID!, $t: String!, $s: [Sector!], $m: [ID!], $e: Time) {
				createInitiative(input: {organisationID: $o, title: $t, sectors: $s, municipalityIDs: $m,
					startsOn: "2024-01-01T00:00:00Z", endsOn: $e, fundingEur: 250000}) { id } }`,
				map[string]any{"o": org, "t": title, "s": sectors, "m": []string{strconv.Itoa(h.municipality)}, "e": e}, header)
		}
		initiative(staff, ulead, "Water utility reform", []string{"WATER", "GOVERNANCE"}, "").NoErrors(t)
		if resp := initiative(staff, giz, "Not ours", []string{"WATER"}, ""); resp.Code() != "FORBIDDEN" {
			t.Fatalf("staff of U-LEAD added a GIZ initiative: %s", resp.Body)
		}
		initiative(h.admin, giz, "Clean water for hromadas", []string{"WATER"}, "2025-12-31T00:00:00Z").NoErrors(t)
		if resp := initiative(h.admin, giz, "Backwards", []string{"ENERGY"}, "2020-01-01T00:00:00Z"); resp.Code() != "BAD_USER_INPUT" {
			t.Fatalf("an initiative ending before it starts: %s", resp.Body)
		}

		var actors struct {
			Node struct {
				Actors []struct {
					Association  *struct{ Acronym string }
					Organisation *struct{ Name string }
					Roles        []string
					Initiatives  []struct{ Title string }
				}
			}
		}
		resp := gqltest.Post(t, h.endpoint, `query($m: ID!) { node(id: $m) { ... on Municipality { actors {
			association { acronym } organisation { name } roles initiatives { title } } } } }`,
			map[string]any{"m": strconv.Itoa(h.municipality)}, nil)
		resp.NoErrors(t)
		resp.Decode(t, &actors)
		a := actors.Node.Actors
		if len(a) != 4 || a[0].Association == nil || a[0].Association.Acronym != assoc.Acronym ||
			fmt.Sprint(a[0].Roles) != "[MEMBER FACILITATOR]" || a[1].Association.Acronym != "ZMP" ||
			fmt.Sprint(a[1].Roles) != "[FACILITATOR]" || a[2].Organisation.Name != "GIZ" || len(a[2].Initiatives) != 1 ||
			a[3].Organisation.Name != "U-LEAD with Europe" || fmt.Sprint(a[3].Roles) != "[INITIATIVE]" {
			t.Fatalf("actors: %s", resp.Data)
		}

		var overlaps struct {
			InitiativeOverlaps []struct {
				Sector        string
				Municipality  struct{ Name string }
				First, Second struct{ Title string }
			}
		}
		h.data(t, `{ initiativeOverlaps(sector: WATER) { sector municipality { name } first { title } second { title } } }`, nil, &overlaps)
		o := overlaps.InitiativeOverlaps
		if len(o) != 1 || o[0].First.Title != "Water utility reform" || o[0].Second.Title != "Clean water for hromadas" ||
			o[0].Municipality.Name != "Chuhuiv" || o[0].Sector != "WATER" {
			t.Fatalf("overlaps: %+v", o)
		}
		var inSector struct{ Initiatives struct{ TotalCount int } }
		h.data(t, `{ initiatives(where: {sector: GOVERNANCE}) { totalCount } }`, nil, &inSector)
		if inSector.Initiatives.TotalCount != 1 {
			t.Fatalf("%d initiatives in governance, want 1", inSector.Initiatives.TotalCount)
		}
		h.data(t, `{ initiatives(where: {sector: WATER, hasOrganisationWith: [{acronymIsNil: true}]}) { totalCount } }`, nil, &inSector)
		if inSector.Initiatives.TotalCount != 2 {
			t.Fatalf("%d initiatives in water, want 2", inSector.Initiatives.TotalCount)
		}
		h.data(t, `{ initiativeOverlaps(sector: GOVERNANCE) { sector } }`, nil, &overlaps)
		if len(overlaps.InitiativeOverlaps) != 0 {
			t.Fatalf("governance overlaps: %+v", overlaps.InitiativeOverlaps)
		}
	})
}

// TestOrganisationAdminsManageTheirStaff: an organisation's admin adds a
// user to its staff, who may then edit it; the admin cannot add staff to
// another organisation.
func TestOrganisationAdminsManageTheirStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store)
		c := store.Client
		ulead := c.Organisation.Create().SetName("U-LEAD with Europe").SetKind("PROGRAMME").SaveX(sys())
		giz := c.Organisation.Create().SetName("GIZ").SetKind("DONOR").SaveX(sys())
		admin := authtest.Staff(t, store, membership.RoleADMIN, func(m *ent.MembershipCreate) { m.SetOrganisationID(ulead.ID) })
		newcomer := authtest.Header(t, store, "NONE")
		var me struct{ Me struct{ ID string } }
		resp := gqltest.Post(t, h.endpoint, `{ me { id } }`, nil, newcomer)
		resp.NoErrors(t)
		resp.Decode(t, &me)
		add := `mutation($u: ID!, $o: ID!) { createMembership(input: {userID: $u, organisationID: $o, role: EDITOR}) { id } }`
		if resp := gqltest.Post(t, h.endpoint, add, map[string]any{"u": me.Me.ID, "o": strconv.Itoa(giz.ID)}, admin); resp.Code() != "FORBIDDEN" {
			t.Fatalf("the admin of U-LEAD added GIZ staff: %s", resp.Body)
		}
		resp = gqltest.Post(t, h.endpoint, add, map[string]any{"u": me.Me.ID, "o": strconv.Itoa(ulead.ID)}, admin)
		resp.NoErrors(t)
		resp = gqltest.Post(t, h.endpoint, `mutation($id: ID!) { updateOrganisation(id: $id, input: {description: "EU programme"}) { description } }`,
			map[string]any{"id": strconv.Itoa(ulead.ID)}, newcomer)
		resp.NoErrors(t)
	})
}
