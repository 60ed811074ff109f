package authz_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// TestEdgeInputsThroughTheAPI runs the edge inputs that reached rows of
// others through the real server: each is refused, writes nothing, and an
// id the caller may not see answers exactly like an unknown one.
func TestEdgeInputsThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		sw := newSchemaWorld(t, store)
		ctx := authz.SystemContext(context.Background())
		orphan := store.Client.Activity.Query().Where(activity.Title("forum of nobody")).OnlyIDX(ctx)
		updateX := `mutation($id: ID!, $in: UpdateAssociationInput!) { updateAssociation(id: $id, input: $in) { id } }`
		cases := []struct {
			name, role, q string
			vars          map[string]any
			code, field   string
		}{
			{"facilitate a partnership of others", "coordX", updateX,
				map[string]any{"id": gid(sw.x.ID), "in": map[string]any{"addFacilitatedPartnershipIDs": []string{gid(sw.p2.ID)}}}, "FORBIDDEN", ""},
			{"add a foreign municipality to the members", "coordX", updateX,
				map[string]any{"id": gid(sw.x.ID), "in": map[string]any{"addMemberIDs": []string{gid(sw.gamma.ID)}}}, "FORBIDDEN", ""},
			{"organise an activity of nobody", "coordX", updateX,
				map[string]any{"id": gid(sw.x.ID), "in": map[string]any{"addOrganisedActivityIDs": []string{gid(orphan)}}}, "FORBIDDEN", ""},
			{"fund a concept project it may not see", "coordX", updateX,
				map[string]any{"id": gid(sw.x.ID), "in": map[string]any{"addFundedProjectIDs": []string{gid(sw.draft2.ID)}}}, "BAD_USER_INPUT", "addFundedProjectIDs"},
			{"join an association from the municipality", "editorA",
				`mutation($id: ID!, $a: [ID!]) { updateMunicipality(id: $id, input: {addAssociationIDs: $a}) { id } }`,
				map[string]any{"id": gid(sw.alpha.ID), "a": []string{gid(sw.x.ID)}}, "FORBIDDEN", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				resp := gqltest.Post(t, sw.url, c.q, c.vars, sw.headers[c.role])
				if resp.Code() != c.code || (c.field != "" && resp.Errors[0].Field() != c.field) {
					t.Fatalf("got %s", resp.Body)
				}
			})
		}
		if n := store.Client.Association.Query().Where(association.ID(sw.x.ID)).
			QueryFacilitatedPartnerships().CountX(ctx); n != 1 {
			t.Errorf("X facilitates %d partnerships, want its own 1", n)
		}
		if n := store.Client.Association.Query().Where(association.ID(sw.x.ID)).QueryMembers().CountX(ctx); n != 0 {
			t.Errorf("X has %d members after refused changes", n)
		}

		// An id the caller may not see answers like one that names nothing.
		hidden := gqltest.Post(t, sw.url, updateX, map[string]any{"id": gid(sw.x.ID), "in": map[string]any{"addFundedProjectIDs": []string{gid(sw.draft2.ID)}}}, sw.headers["coordX"])
		missing := gqltest.Post(t, sw.url, updateX, map[string]any{"id": gid(sw.x.ID), "in": map[string]any{"addFundedProjectIDs": []string{gid(sw.draft2.ID + 999)}}}, sw.headers["coordX"])
		if strings.ReplaceAll(string(hidden.Body), gid(sw.draft2.ID), "N") != strings.ReplaceAll(string(missing.Body), gid(sw.draft2.ID+999), "N") {
			t.Errorf("a hidden id answers %s, a missing one %s", hidden.Body, missing.Body)
		}

		// The secretariat may link anything it sees.
		resp := gqltest.Post(t, sw.url, updateX, map[string]any{"id": gid(sw.x.ID), "in": map[string]any{
			"addFacilitatedPartnershipIDs": []string{gid(sw.p2.ID)}, "addMemberIDs": []string{gid(sw.gamma.ID)}}}, sw.headers["secretariat"])
		resp.NoErrors(t)
	})
}

// TestIDsOfRowsOthersMayNotSee checks the id fields next to guarded
// objects: they are not in the API (the object shows the row or null), and
// a flag's reporter does not learn who resolved it.
func TestIDsOfRowsOthersMayNotSee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		sw := newSchemaWorld(t, store)
		for _, q := range []string{
			`{ posts(first: 5) { edges { node { authorID } } } }`,
			`{ posts(first: 5) { edges { node { replyToID } } } }`,
			`{ topics(first: 5) { edges { node { authorID } } } }`,
			`{ posts(first: 5, where: {authorID: 1}) { totalCount } }`,
			`{ newsItems(first: 5) { edges { node { authorID } } } }`,
			`{ flags(first: 5) { edges { node { reporterID resolvedByID } } } }`,
		} {
			if resp := gqltest.Post(t, sw.url, q, nil, sw.headers["memberA"]); resp.Code() != "GRAPHQL_VALIDATION_FAILED" {
				t.Errorf("%s: %s", q, resp.Body)
			}
		}
		flags := `{ flags(first: 5) { edges { node { resolution resolvedBy { id } } } } }`
		if got := value(gqltest.Post(t, sw.url, flags, nil, sw.headers["editorA"]), "flags", "edges"); got != `[{"node":{"resolution":"HIDE","resolvedBy":null}}]` {
			t.Errorf("the reporter sees %s", got)
		}
		want := `[{"node":{"resolution":"HIDE","resolvedBy":{"id":"` + gid(sw.users["secretariat"].ID) + `"}}}]`
		if got := value(gqltest.Post(t, sw.url, flags, nil, sw.headers["secretariat"]), "flags", "edges"); got != want {
			t.Errorf("the secretariat sees %s, want %s", got, want)
		}
	})
}
