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
	// LeadMunicipality is read where the query joins it.
	LeadMunicipality *struct{ ID string }
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
// as the secretariat; so do pages whose projects join their lead
// municipality (a to-one edge) into the folded rows. A project that also
// loads its funders (a connection) cannot fold, so it reads the same page
// apart.
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
		folded := strings.Replace(page, "%s", "", 1)
		joined := strings.Replace(page, "%s", " leadMunicipality { id }", 1)
		apart := strings.Replace(page, "%s", " leadMunicipality { id } funders(first: 1) { totalCount }", 1)
		isFolded := func(s string) bool { return strings.Contains(s, `"hubf_projects__projects"`) }
		read, leads := 0, 0
		for _, signedIn := range []bool{false, true} {
			for _, id := range towns {
				vars := map[string]any{"id": strconv.Itoa(id)}
				var plain, withLead, b townProjects
				apartStmts := countStatements(t, h, counter, signedIn, apart, vars, &b)
				if slices.ContainsFunc(apartStmts, isFolded) {
					t.Errorf("town %d: projects loading their funders were folded", id)
				}
				for _, v := range []struct {
					query string
					into  *townProjects
				}{{folded, &plain}, {joined, &withLead}} {
					stmts := countStatements(t, h, counter, signedIn, v.query, vars, v.into)
					if want := store.Dialect == dialect.Postgres; slices.ContainsFunc(stmts, isFolded) != want {
						t.Errorf("town %d: projects folded into the partnerships' statement %v, want %v:\n%s", id, !want, want, strings.Join(stmts, "\n"))
					}
				}
				if !reflect.DeepEqual(withLead, b) {
					t.Errorf("town %d (signed in %v): folded pages with their leads joined differ from pages read apart:\n%+v\n%+v", id, signedIn, withLead, b)
				}
				for _, e := range b.Node.UaPartnerships.Edges {
					for i := range e.Node.Projects.Edges {
						if e.Node.Projects.Edges[i].Node.LeadMunicipality != nil {
							leads++
						}
						e.Node.Projects.Edges[i].Node.LeadMunicipality = nil
						read++
					}
				}
				if !reflect.DeepEqual(plain, b) {
					t.Errorf("town %d (signed in %v): folded pages differ from pages read apart:\n%+v\n%+v", id, signedIn, plain, b)
				}
			}
		}
		if read == 0 || leads == 0 {
			t.Fatalf("%d projects, %d lead municipalities read: nothing compared", read, leads)
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
