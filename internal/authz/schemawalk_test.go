package authz_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc/gen"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/document"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/schematest"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// loadSchema loads Ent's schema graph from ent/schema.
func loadSchema(t *testing.T) *gen.Graph {
	t.Helper()
	return schematest.Load(t, "../../ent/schema")
}

// annotation returns the JSON form of an edge or field annotation, or nil.
func annotation(ann gen.Annotations, name string) map[string]any {
	a, _ := ann[name].(map[string]any)
	return a
}

// TestEveryEdgeDeclaresWhoMayLinkIt walks every edge of the schema: each
// must say whose rules decide who may link rows through it (authz.EdgeWrite),
// so a new edge cannot be added without a decision.
func TestEveryEdgeDeclaresWhoMayLinkIt(t *testing.T) {
	g := loadSchema(t)
	edges := 0
	for _, n := range g.Nodes {
		for _, e := range n.Edges {
			edges++
			a := annotation(e.Annotations, authz.EdgeWrite{}.Name())
			switch a["attach"] {
			case string(authz.AttachBySource), string(authz.AttachByTarget):
			default:
				t.Errorf("edge %s.%s has no authz.EdgeWrite annotation (authz.SourceDecides or authz.TargetDecides)", n.Name, e.Name)
			}
		}
	}
	if edges < 60 {
		t.Fatalf("walked %d edges; the schema has more", edges)
	}
}

// skips returns the entgql skip mode of a field or edge.
func skips(ann gen.Annotations) entgql.SkipMode {
	a := annotation(ann, entgql.Annotation{}.Name())
	mode, _ := a["Skip"].(float64)
	return entgql.SkipMode(mode)
}

// TestPrivateIDFieldsAreNotShown walks every edge with an id field: when
// some viewer may not read the rows of the edge's type, the id field must
// be kept out of the GraphQL type and its filters (the edge shows the row,
// or null), unless the edge is marked authz.VisibleWithSource, a claim
// TestVisibleWithSourceHolds checks on data.
func TestPrivateIDFieldsAreNotShown(t *testing.T) {
	g := loadSchema(t)
	restricted := restrictedTypes(t, newSchemaWorld(t, dbtest.Open(t, "sqlite")))
	checked := 0
	for _, n := range g.Nodes {
		for _, e := range n.Edges {
			if e.Field() == nil || !restricted[e.Type.Name] {
				continue
			}
			checked++
			if annotation(e.Annotations, authz.EdgeRead{}.Name())["with_source"] == true {
				continue
			}
			mode := skips(e.Field().Annotations)
			if mode&entgql.SkipType == 0 || mode&entgql.SkipWhereInput == 0 {
				t.Errorf("%s.%s names a %s, which some viewers may not read: annotate it with privateID (entgql.Skip(SkipType, SkipWhereInput)) or mark the edge %s.%s authz.VisibleWithSource",
					n.Name, e.Field().Name, e.Type.Name, n.Name, e.Name)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no id field of a non-public type found: the walk is broken")
	}
}

// schemaWorld is the fixture of the schema walks: the matrix's world, its
// signed-in roles, and a forum with rows each role may and may not read
// (categories of every visibility, a hidden post and a reply to it,
// reactions, flags, a draft news item, notifications).
type schemaWorld struct {
	*world
	store   *db.Store
	client  *ent.Client
	url     string
	headers map[string]http.Header
	viewers map[string]context.Context
}

// walkedRoles are the callers whose rules the walks check: anonymous, a
// member, two editors; the secretariat reads everything.
var walkedRoles = []string{"anonymous", "memberA", "editorA", "coordX"}

func newSchemaWorld(t *testing.T, store *db.Store) *schemaWorld {
	t.Helper()
	w := buildWorld(t, store.Client)
	logger := slog.New(slog.NewTextHandler(testLogOutput(), nil))
	srv := httptest.NewServer(server.New(server.DefaultConfig(), store, logger).Handler())
	t.Cleanup(srv.Close)
	sw := &schemaWorld{world: w, store: store, client: store.Client, url: srv.URL + "/graphql", viewers: map[string]context.Context{}}
	sw.headers = signIn(t, store, w, sw.url)
	svc := auth.New(store.Client, auth.DefaultConfig(), logger)
	for _, role := range walkedRoles {
		v, err := svc.ViewerFor(context.Background(), sw.headers[role].Get("Authorization"))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if v != nil {
			ctx = viewer.NewContext(ctx, v)
		}
		sw.viewers[role] = ctx
	}
	sw.buildForum(t)
	sw.buildActivities()
	return sw
}

// buildActivities adds a region and activities: one organised by X, one
// of P1, one of nobody.
func (sw *schemaWorld) buildActivities() {
	ctx := authz.SystemContext(context.Background())
	c := sw.client
	c.Region.Create().SetName("Kharkiv oblast").SetCountryID(sw.alpha.CountryID).SaveX(ctx)
	c.Activity.Create().SetTitle("training by X").SetKind("TRAINING").SetOrganiser(sw.x).SaveX(ctx)
	c.Activity.Create().SetTitle("mission of P1").SetKind("EXPERT_MISSION").AddPartnerships(sw.p1).SaveX(ctx)
	c.Activity.Create().SetTitle("forum of nobody").SetKind("SOLIDARITY_FORUM").SaveX(ctx)
	sw.buildMatchmaking(ctx)
	sw.buildLibrary(ctx)
	sw.buildEvents(ctx)
}

// buildLibrary adds an organisation with an initiative in Alpha and
// library documents with files: public and members-only published ones,
// and editorA's draft.
func (sw *schemaWorld) buildLibrary(ctx context.Context) {
	c := sw.client
	org := c.Organisation.Create().SetName("U-LEAD with Europe").SetKind("PROGRAMME").SaveX(ctx)
	c.Initiative.Create().SetOrganisation(org).SetTitle("water audit").AddMunicipalityIDs(sw.alpha.ID).SaveX(ctx)
	doc := func(title string, vis document.Visibility, st document.Status, author int) {
		d := c.Document.Create().SetTitle(title).SetKind("GOOD_PRACTICE").SetSector("WATER").SetVisibility(vis).
			SetStatus(st).SetAuthorID(author).AddMunicipalityIDs(sw.alpha.ID).AddPartnerships(sw.p1).AddProjects(sw.public1).SaveX(ctx)
		c.DocumentFile.Create().SetDocument(d).SetName(title + ".pdf").SetContentType("application/pdf").
			SetSize(1).SetChecksum("00").SetStorageKey(title).SaveX(ctx)
	}
	doc("public", document.VisibilityPUBLIC, document.StatusPUBLISHED, sw.users["secretariat"].ID)
	doc("members", document.VisibilityMEMBERS, document.StatusPUBLISHED, sw.users["secretariat"].ID)
	doc("draft", document.VisibilityPUBLIC, document.StatusDRAFT, sw.users["editorA"].ID)
}

// buildEvents adds an event of each audience (organised by X, serving P1
// and an activity, inviting Alpha), a session of each, registrations of
// memberA (one made by editorA) and a promotion notification.
func (sw *schemaWorld) buildEvents(ctx context.Context) {
	c := sw.client
	act := c.Activity.Query().FirstX(ctx)
	start := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	for i, aud := range []event.Audience{event.AudiencePUBLIC, event.AudienceMEMBERS, event.AudiencePARTNERSHIP, event.AudienceINVITED} {
		e := c.Event.Create().SetTitle("event " + string(aud)).SetKind(event.KindTRAINING).SetAudience(aud).
			SetStartsAt(start).SetEndsAt(start.Add(time.Hour)).SetTimeZone("Europe/Kyiv").SetOrganiser(sw.x).
			SetPartnership(sw.p1).SetActivity(act).AddInvitedMunicipalities(sw.alpha).SetCreatedByID(sw.users["editorA"].ID).SaveX(ctx)
		c.EventSession.Create().SetEvent(e).SetStartsAt(start).SetEndsAt(start.Add(time.Hour)).SetTimeZone("Europe/Kyiv").SaveX(ctx)
		if i%2 == 0 {
			r := c.EventRegistration.Create().SetEvent(e).SetUserID(sw.users["memberA"].ID).SetRegisteredByID(sw.users["editorA"].ID).SaveX(ctx)
			c.Notification.Create().SetRecipientID(sw.users["memberA"].ID).SetKind(notification.KindEVENT_PROMOTED).SetEventRegistration(r).SaveX(ctx)
		} else {
			c.EventRegistration.Create().SetEvent(e).SetUserID(sw.users["coordX"].ID).SaveX(ctx)
		}
	}
	c.EmailPreference.Create().SetUserID(sw.users["memberA"].ID).SetKind("NEWS").SetFrequency("WEEKLY").SaveX(ctx)
}

// buildMatchmaking adds a need, an offer, a profile, a decline and a
// partnership request (Alpha to Delta, by editorA).
func (sw *schemaWorld) buildMatchmaking(ctx context.Context) {
	c := sw.client
	c.Need.Create().SetMunicipalityID(sw.alpha.ID).SetSector("WATER").SaveX(ctx)
	c.Offer.Create().SetMunicipalityID(sw.beta.ID).SetSector("WATER").SaveX(ctx)
	c.MatchProfile.Create().SetMunicipalityID(sw.beta.ID).SaveX(ctx)
	c.MatchDecline.Create().SetMunicipalityID(sw.gamma.ID).SetCandidateID(sw.beta.ID).SetDeclinedByID(sw.users["memberA"].ID).SaveX(ctx)
	c.PartnershipRequest.Create().SetUkrainianMunicipalityID(sw.alpha.ID).SetEuropeanMunicipalityID(sw.delta.ID).
		SetInitiatorID(sw.alpha.ID).SetProposedByID(sw.users["editorA"].ID).SaveX(ctx)
}

// do runs a GraphQL operation as role and returns the string at path.
func (sw *schemaWorld) do(t *testing.T, role, q string, vars map[string]any, path ...string) string {
	t.Helper()
	resp := gqltest.Post(t, sw.url, q, vars, sw.headers[role])
	resp.NoErrors(t)
	return value(resp, path...)
}

func (sw *schemaWorld) buildForum(t *testing.T) {
	t.Helper()
	topics := map[string]string{}
	for _, vis := range []string{"PUBLIC", "MEMBERS", "SECRETARIAT"} {
		cat := sw.do(t, "secretariat", `mutation($v: ForumCategoryVisibility, $s: String!) { createForumCategory(input: {name: $s, slug: $s, visibility: $v}) { id } }`,
			map[string]any{"v": vis, "s": strings.ToLower(vis)}, "createForumCategory", "id")
		topics[vis] = sw.do(t, "secretariat", `mutation($c: ID!) { createTopic(input: {categoryId: $c, title: "a topic", body: "first"}) { id } }`,
			map[string]any{"c": cat}, "createTopic", "id")
	}
	post := func(role, topic, replyTo string) string {
		vars := map[string]any{"t": topic, "r": nil}
		if replyTo != "" {
			vars["r"] = replyTo
		}
		return sw.do(t, role, `mutation($t: ID!, $r: ID) { createPost(input: {topicId: $t, body: "hello @editora", replyToId: $r}) { id } }`, vars, "createPost", "id")
	}
	hidden := post("memberA", topics["PUBLIC"], "")
	post("editorA", topics["PUBLIC"], hidden)
	post("memberA", topics["MEMBERS"], "")
	// A post in a topic editorA may not read that mentions editorA: a load
	// of editorA's mentions must not show it.
	secret, err := strconv.Atoi(post("secretariat", topics["SECRETARIAT"], ""))
	if err != nil {
		t.Fatal(err)
	}
	sw.client.Post.UpdateOneID(secret).AddMentionIDs(sw.users["editorA"].ID).ExecX(authz.SystemContext(context.Background()))
	sw.do(t, "editorA", `mutation($p: ID!) { react(postId: $p, kind: LIKE) { id } }`, map[string]any{"p": hidden}, "react", "id")
	flag := sw.do(t, "editorA", `mutation($p: ID!) { flagPost(postId: $p, reason: "spam") { id } }`, map[string]any{"p": hidden}, "flagPost", "id")
	sw.do(t, "secretariat", `mutation($f: ID!) { resolveFlag(id: $f, action: HIDE) { id } }`, map[string]any{"f": flag}, "resolveFlag", "id")
	sw.do(t, "secretariat", `mutation($m: [ID!]) { createNewsItem(input: {title: "draft", body: "soon", municipalityIDs: $m}) { id } }`,
		map[string]any{"m": []string{gid(sw.alpha.ID)}}, "createNewsItem", "id")
}

// viewerOf returns the viewer context of a walked role.
func viewerOf(sw *schemaWorld, role string) context.Context { return sw.viewers[role] }

// restrictedTypes returns the types some walked role may not read in full.
func restrictedTypes(t *testing.T, sw *schemaWorld) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for typ := range ent.EdgeRules {
		for _, role := range walkedRoles {
			rule, err := sw.client.ReadFilter(viewerOf(sw, role), typ)
			if err != nil {
				t.Fatal(err)
			}
			if rule != nil {
				out[typ] = true
			}
		}
	}
	return out
}

// allIDs returns the ids of every row of typ.
func (sw *schemaWorld) allIDs(t *testing.T, typ string) []int {
	t.Helper()
	ids, err := sw.client.TypeIDs(authz.SystemContext(context.Background()), typ)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// visible returns those of ids that role may read.
func (sw *schemaWorld) visible(t *testing.T, role, typ string, ids []int) []int {
	t.Helper()
	out, err := sw.client.VisibleIDs(viewerOf(sw, role), typ, ids)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// neighbours returns the rows that row id of typ links to through edge.
func (sw *schemaWorld) neighbours(t *testing.T, typ, edge string, id int) []int {
	t.Helper()
	out, err := sw.client.NeighbourIDs(authz.SystemContext(context.Background()), typ, edge, []int{id})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// link runs typ's mutation policy for role on an update of a row of typ
// that links target through edge (or unlinks it, with remove).
func (sw *schemaWorld) link(t *testing.T, role, typ, edge string, remove bool, target int) error {
	t.Helper()
	m, err := sw.client.LinkMutation(typ, sw.allIDs(t, typ)[0], edge, remove, target)
	if err != nil {
		t.Fatal(err)
	}
	return ent.MutationPolicy(typ).EvalMutation(viewerOf(sw, role), m)
}

// TestEdgeWritesObeyTargetRules walks every edge of every type: for each
// walked role, linking or unlinking a row the role may not read answers
// exactly like an id that names no row (BAD_USER_INPUT naming the field,
// or the same denial), and on edges that need the right to change the
// target, a readable target the role may not change is refused.
func TestEdgeWritesObeyTargetRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		sw := newSchemaWorld(t, store)
		for typ, edges := range ent.EdgeRules {
			for edge, rule := range edges {
				t.Run(typ+"."+edge, func(t *testing.T) { sw.checkEdgeWrites(t, typ, edge, rule) })
			}
		}
	})
}

func (sw *schemaWorld) checkEdgeWrites(t *testing.T, typ, edge string, rule ent.EdgeRule) {
	all := sw.allIDs(t, rule.Target)
	if len(all) == 0 || len(sw.allIDs(t, typ)) == 0 {
		t.Fatalf("the fixture needs a %s and a %s", typ, rule.Target)
	}
	unknown := slices.Max(all) + 1_000_000
	for _, role := range walkedRoles[1:] {
		for _, remove := range []bool{false, !rule.Unique} {
			want := sw.link(t, role, typ, edge, remove, unknown)
			if want == nil {
				t.Fatalf("%s linking an unknown %s was allowed", role, rule.Target)
			}
			if fe, ok := errors.AsType[*validation.FieldError](want); ok && !strings.HasSuffix(fe.Field, upper(rule.Input)) && fe.Field != rule.Input {
				t.Errorf("%s: field %q does not name the input %q", role, fe.Field, rule.Input)
			}
			visible := sw.visible(t, role, rule.Target, all)
			for _, hidden := range without(all, visible) {
				if got := sw.link(t, role, typ, edge, remove, hidden); !sameAnswer(got, want, hidden, unknown) {
					t.Errorf("%s: a %s it may not read (%d) answers %v, an unknown id %v", role, rule.Target, hidden, got, want)
				}
			}
			if rule.Attach != string(authz.AttachByTarget) {
				continue
			}
			for _, target := range visible {
				if sw.client.EvalUpdatePolicy(viewerOf(sw, role), rule.Target, target) == nil {
					continue
				}
				if err := sw.link(t, role, typ, edge, remove, target); err == nil {
					t.Errorf("%s may link %s %d, which it may not change", role, rule.Target, target)
				}
			}
		}
	}
}

func upper(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// TestVisibleWithSourceHolds checks the claim of every edge marked
// authz.VisibleWithSource on the fixture: whoever reads a source row reads
// the row it links to.
func TestVisibleWithSourceHolds(t *testing.T) {
	g := loadSchema(t)
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		sw := newSchemaWorld(t, store)
		checked := 0
		for _, n := range g.Nodes {
			for _, e := range n.Edges {
				if annotation(e.Annotations, authz.EdgeRead{}.Name())["with_source"] != true {
					continue
				}
				for _, role := range walkedRoles {
					for _, source := range sw.visible(t, role, n.Name, sw.allIDs(t, n.Name)) {
						checked++
						linked := sw.neighbours(t, n.Name, e.Name, source)
						if hidden := without(linked, sw.visible(t, role, e.Type.Name, linked)); len(hidden) > 0 {
							t.Errorf("%s reads %s %d but not its %s %v", role, n.Name, source, e.Name, hidden)
						}
					}
				}
			}
		}
		if checked == 0 {
			t.Fatal("no source row checked: the fixture is missing rows")
		}
	})
}

// TestEdgeLoadsReadWhatTheViewerReads walks every edge: for each walked
// role, an eager load of the edge for the rows the role reads returns
// exactly the linked rows the role reads, though the read rules of such a
// load may leave out what the parents' rule ensured (LoadedThrough). The
// edges whose rules do so must link some row that some role may not read,
// or the fixture does not test them.
func TestEdgeLoadsReadWhatTheViewerReads(t *testing.T) {
	g := loadSchema(t)
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		sw := newSchemaWorld(t, store)
		hiding := map[string]bool{}
		for _, n := range g.Nodes {
			for _, e := range n.Edges {
				all := sw.linked(t, n.Name, e.Name, sw.allIDs(t, n.Name))
				for _, role := range walkedRoles {
					sources := sw.visible(t, role, n.Name, sw.allIDs(t, n.Name))
					loaded, err := sw.client.LoadedNeighbourIDs(viewerOf(sw, role), n.Name, e.Name, sources)
					if err != nil {
						t.Fatal(err)
					}
					want := sw.visible(t, role, e.Type.Name, sw.linked(t, n.Name, e.Name, sources))
					if got := sortedSet(loaded); !slices.Equal(got, sortedSet(want)) {
						t.Errorf("%s loads %s.%s of %v as %v; it reads %v of them", role, n.Name, e.Name, sources, got, want)
					}
					if len(sw.visible(t, role, e.Type.Name, all)) < len(all) {
						hiding[n.Name+"."+e.Name] = true
					}
				}
			}
		}
		for _, edge := range []string{"Topic.posts", "Post.reactions", "Document.files", "Event.sessions"} {
			if !hiding[edge] {
				t.Errorf("no walked role is kept from a row of %s: the fixture does not test its read rule", edge)
			}
		}
	})
}

// linked returns the rows that the rows ids of typ link to through edge,
// each once.
func (sw *schemaWorld) linked(t *testing.T, typ, edge string, ids []int) []int {
	t.Helper()
	out, err := sw.client.NeighbourIDs(authz.SystemContext(context.Background()), typ, edge, ids)
	if err != nil {
		t.Fatal(err)
	}
	return sortedSet(out)
}

// sortedSet returns ids sorted, each once.
func sortedSet(ids []int) []int {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// sameAnswer reports whether two errors are the same answer but for the id
// they name.
func sameAnswer(a, b error, idA, idB int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return strings.ReplaceAll(a.Error(), fmt.Sprint(idA), "ID") == strings.ReplaceAll(b.Error(), fmt.Sprint(idB), "ID")
}

// without returns ids less those in drop.
func without(ids, drop []int) []int {
	return slices.DeleteFunc(slices.Clone(ids), func(id int) bool { return slices.Contains(drop, id) })
}

// rootConnections returns, from introspection, each root list field with a
// where argument, by the type it lists.
func (sw *schemaWorld) rootConnections(t *testing.T) map[string]string {
	t.Helper()
	resp := gqltest.Post(t, sw.url, `{ __schema { queryType { fields { name type { name ofType { name } } args { name type { name } } } } } }`, nil, sw.headers["secretariat"])
	resp.NoErrors(t)
	var data struct {
		Schema struct {
			QueryType struct {
				Fields []struct {
					Name string
					Type struct {
						Name   string
						OfType struct{ Name string }
					}
					Args []rootArg
				}
			}
		} `json:"__schema"`
	}
	resp.Decode(t, &data)
	out := map[string]string{}
	for _, f := range data.Schema.QueryType.Fields {
		if !strings.HasSuffix(f.Type.Name+f.Type.OfType.Name, "Connection") {
			continue // a field that filters with a where input but is no list of it
		}
		if !onlyPagingArgs(f.Args) {
			continue // a list of some of the rows (dormantPartnerships), not the type's root list
		}
		for _, a := range f.Args {
			if a.Name == "where" && strings.HasSuffix(a.Type.Name, "WhereInput") {
				out[strings.TrimSuffix(a.Type.Name, "WhereInput")] = f.Name
			}
		}
	}
	return out
}

// edgeFilters returns the edges a type's where input filters on, by the
// GraphQL name of their hasXWith field.
func (sw *schemaWorld) edgeFilters(t *testing.T, typ string) map[string]string {
	t.Helper()
	resp := gqltest.Post(t, sw.url, `query($n: String!) { __type(name: $n) { inputFields { name } } }`,
		map[string]any{"n": typ + "WhereInput"}, sw.headers["secretariat"])
	resp.NoErrors(t)
	var data struct {
		Type struct{ InputFields []struct{ Name string } } `json:"__type"`
	}
	resp.Decode(t, &data)
	out := map[string]string{}
	for _, f := range data.Type.InputFields {
		if strings.HasPrefix(f.Name, "has") && strings.HasSuffix(f.Name, "With") {
			out[strings.TrimSuffix(f.Name, "With")] = snake(strings.TrimSuffix(strings.TrimPrefix(f.Name, "has"), "With"))
		}
	}
	return out
}

// snake turns a GraphQL edge name (FacilitatedPartnerships) into Ent's
// (facilitated_partnerships).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}

// expectedMatches counts the rows of typ that role reads and that link,
// through edge, to at least one row role reads (want true), or to none
// (want false).
func (sw *schemaWorld) expectedMatches(t *testing.T, role, typ, edge string, want bool) int {
	t.Helper()
	target := ent.EdgeRules[typ][edge].Target
	n := 0
	for _, id := range sw.visible(t, role, typ, sw.allIDs(t, typ)) {
		linked := sw.neighbours(t, typ, edge, id)
		if (len(sw.visible(t, role, target, linked)) > 0) == want {
			n++
		}
	}
	return n
}

// TestEdgeFiltersMatchOnlyReadableRows walks every edge filter of every
// root list through the real server: for each walked role, hasXWith: [{}]
// and hasX: true match exactly the rows linked to a row the role may read,
// hasX: false exactly the others, so a filter answers nothing about rows
// the edge does not show.
func TestEdgeFiltersMatchOnlyReadableRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		sw := newSchemaWorld(t, store)
		filters := 0
		for typ, root := range sw.rootConnections(t) {
			for has, edge := range sw.edgeFilters(t, typ) {
				if _, ok := ent.EdgeRules[typ][edge]; !ok {
					t.Fatalf("%s.%s: no such edge", typ, edge)
				}
				filters++
				q := fmt.Sprintf(`query($w: %sWhereInput) { %s(where: $w) { totalCount } }`, typ, root)
				for _, role := range walkedRoles {
					cases := map[string]map[string]any{
						has + "With":  {has + "With": []any{map[string]any{"idGT": "0"}}},
						has + " true": {has: true},
					}
					for name, where := range cases {
						if got, want := sw.do(t, role, q, map[string]any{"w": where}, root, "totalCount"), sw.expectedMatches(t, role, typ, edge, true); got != fmt.Sprint(want) {
							t.Errorf("%s %s(%s): %s rows, want %d", role, root, name, got, want)
						}
					}
					if got, want := sw.do(t, role, q, map[string]any{"w": map[string]any{has: false}}, root, "totalCount"), sw.expectedMatches(t, role, typ, edge, false); got != fmt.Sprint(want) {
						t.Errorf("%s %s(%s false): %s rows, want %d", role, root, has, got, want)
					}
				}
			}
		}
		if filters < 20 {
			t.Fatalf("walked %d edge filters; the schema has more", filters)
		}
	})
}

func testLogOutput() io.Writer {
	if os.Getenv("HUB_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// rootArg is an argument of a root field, as introspection gives it.
type rootArg struct {
	Name string
	Type struct{ Name string }
}

// onlyPagingArgs reports whether a root field takes only the arguments of
// a type's root list: paging, ordering and where.
func onlyPagingArgs(args []rootArg) bool {
	for _, a := range args {
		switch a.Name {
		case "after", "first", "before", "last", "orderBy", "where":
		default:
			return false
		}
	}
	return true
}
