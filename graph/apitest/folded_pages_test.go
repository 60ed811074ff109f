package apitest

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// projectFields are every field of a project that a page can select:
// times, JSON, floats, enums and nullable ids, which a folded page
// decodes from JSON.
const projectFields = `id createdAt updatedAt title titleTranslations summary sector status budgetEur partnershipID leadMunicipalityID`

// foldedProject is a project with projectFields.
type foldedProject struct {
	ID, CreatedAt, UpdatedAt, Title, Sector, Status, PartnershipID string
	TitleTranslations, Summary                                     map[string]string
	BudgetEur                                                      *float64
	LeadMunicipalityID                                             *string
}

// townProjects is a municipality's partnerships with a page of projects.
type townProjects struct {
	Node struct {
		UaPartnerships struct {
			Edges []struct {
				Node struct {
					ID       string
					Projects struct {
						Edges []struct {
							Cursor string
							Node   foldedProject
						}
					}
				}
			}
		}
	}
}

// TestFoldedPagesReadAsTheirOwnStatements checks that the first pages of
// projects folded into the partnerships' statement (PostgreSQL) carry
// what the same pages read in a statement of their own carry, field by
// field and cursor by cursor, anonymously (concept projects withheld) and
// as the secretariat: a project that also loads its lead municipality
// cannot fold, so it reads the same page apart.
func TestFoldedPagesReadAsTheirOwnStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		seedPages(t, store)
		c := store.Client
		projects := c.Project.Query().Where(project.BudgetEurNotNil(), project.LeadMunicipalityIDNotNil()).CountX(sys())
		towns := c.Municipality.Query().Where(municipality.HasUaPartnershipsWith(partnership.HasProjects())).Limit(6).IDsX(sys())
		if projects == 0 || len(towns) < 3 {
			t.Fatalf("the seed has %d projects with a budget and a lead, %d towns with projects: too few to compare", projects, len(towns))
		}
		cs, counter := counted(store)
		h := serve(t, cs)
		const page = `query($id: ID!) { node(id: $id) { ... on Municipality { uaPartnerships(first: 20) { edges { node { id
			projects(first: 3, orderBy: [{field: CREATED_AT, direction: DESC}]) { edges { cursor node { ` + projectFields + `%s } } } } } } } } }`
		folded, apart := strings.Replace(page, "%s", "", 1), strings.Replace(page, "%s", " leadMunicipality { id }", 1)
		read := 0
		for _, signedIn := range []bool{false, true} {
			for _, id := range towns {
				vars := map[string]any{"id": strconv.Itoa(id)}
				var a, b townProjects
				foldedStmts := countStatements(t, h, counter, signedIn, folded, vars, &a)
				apartStmts := countStatements(t, h, counter, signedIn, apart, vars, &b)
				isFolded := func(s string) bool { return strings.Contains(s, `"hubf_projects__projects"`) }
				if want := store.Dialect == dialect.Postgres; slices.ContainsFunc(foldedStmts, isFolded) != want {
					t.Errorf("town %d: projects folded into the partnerships' statement %v, want %v:\n%s", id, !want, want, strings.Join(foldedStmts, "\n"))
				}
				if slices.ContainsFunc(apartStmts, isFolded) {
					t.Errorf("town %d: projects loading their lead municipality were folded", id)
				}
				if !reflect.DeepEqual(a, b) {
					t.Errorf("town %d (signed in %v): folded pages differ from pages read apart:\n%+v\n%+v", id, signedIn, a, b)
				}
				for _, e := range a.Node.UaPartnerships.Edges {
					read += len(e.Node.Projects.Edges)
				}
			}
		}
		if read == 0 {
			t.Fatal("no project was read: nothing compared")
		}
	})
}

// TestFoldedPagesFilterEdgesByReadRules checks that a filter through an
// edge inside a folded page (a category's topics whose category matches)
// narrows the edge's rows by their read rule, as the same page read
// through LATERAL does: the rule's SQL then appears as often in the folded
// request's statements as in the LATERAL one's. Without the query's
// context on the folded page's statement the rule was left out (tried).
func TestFoldedPagesFilterEdgesByReadRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		fillForum(t, store.Client, 6, 1, 2)
		cs, counter := counted(store)
		h := serve(t, cs)
		const page = `{ forumCategories(first: 10) { edges { node { id topics(first: 3, where: {hasCategoryWith: [{nameContains: "a"}]}) {
			edges { node { %s } } } } } } }`
		rule := func(stmts []string) int {
			n := 0
			for _, s := range stmts {
				n += strings.Count(s, `"forum_categories"."visibility"`) // the categories' read rule
			}
			return n
		}
		type categoryTopics struct {
			ForumCategories struct {
				Edges []struct {
					Node struct {
						ID     string
						Topics struct {
							Edges []struct{ Node struct{ ID string } }
						}
					}
				}
			}
		}
		var folded, lateral categoryTopics
		foldedStmts := countStatements(t, h, counter, false, strings.Replace(page, "%s", "id", 1), nil, &folded)
		lateralStmts := countStatements(t, h, counter, false, strings.Replace(page, "%s", "id author { displayName }", 1), nil, &lateral)
		if store.Dialect == dialect.Postgres && !slices.ContainsFunc(foldedStmts, func(s string) bool { return strings.Contains(s, `"hubf_topics__topics"`) }) {
			t.Errorf("the topics were not folded:\n%s", strings.Join(foldedStmts, "\n"))
		}
		if rule(foldedStmts) != rule(lateralStmts) {
			t.Errorf("the categories' read rule appears %d times folded, %d apart:\n%s\n--\n%s",
				rule(foldedStmts), rule(lateralStmts), strings.Join(foldedStmts, "\n"), strings.Join(lateralStmts, "\n"))
		}
		if !reflect.DeepEqual(folded, lateral) {
			t.Errorf("folded %+v, apart %+v", folded, lateral)
		}
	})
}
