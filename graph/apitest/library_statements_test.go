package apitest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent/document"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// libraryStatementCases are the library's and the actors' queries whose
// statement counts must not grow with the data.
var libraryStatementCases = []statementCase{
	{name: "documents with files and municipalities", query: `{ documents(first: 100, where: {sector: WATER}) { totalCount edges { node {
		title files { name downloadUrl } municipalities(first: 3) { totalCount edges { node { name } } } } } } }`},
	{name: "organisations with initiatives", query: `{ organisations(first: 100) { edges { node { name
		initiatives(first: 5) { totalCount edges { node { title municipalities(first: 3) { totalCount } } } } } } } }`},
	{name: "municipalities with their actors", query: `{ municipalities(first: 100) { edges { node { name
		actors { name roles initiatives { title } } } } } }`},
	{name: "initiative overlaps", query: `{ initiativeOverlaps(sector: WATER) { municipality { name } first { title organisation { name } } second { title organisation { name } } } }`},
}

// fillLibrary adds n published documents with two files each about a
// municipality, and n organisations with an initiative each in it; and n
// towns, each with one of the initiatives and the membership of an
// association of its own.
func fillLibrary(t *testing.T, store *db.Store, n int) int {
	t.Helper()
	c := store.Client
	ua := c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
	m := c.Municipality.Create().SetName("Chuhuiv").SetCountry(ua).SaveX(sys())
	for i := range n {
		d := c.Document.Create().SetTitle(fmt.Sprint("doc ", i)).SetKind("REPORT").SetSector("WATER").
			SetStatus(document.StatusPUBLISHED).AddMunicipalities(m).SaveX(sys())
		for j := range 2 {
			c.DocumentFile.Create().SetDocument(d).SetName("f.pdf").SetContentType("application/pdf").SetSize(1).
				SetChecksum("00").SetStorageKey(fmt.Sprint(i, "/", j)).SaveX(sys())
		}
		o := c.Organisation.Create().SetName(fmt.Sprint("org ", i)).SaveX(sys())
		town := c.Municipality.Create().SetName(fmt.Sprint("town ", i)).SetCountry(ua).SaveX(sys())
		c.Association.Create().SetAcronym(fmt.Sprint("A", i)).SetName(fmt.Sprint("Association ", i)).AddMembers(town).ExecX(sys())
		c.Initiative.Create().SetOrganisation(o).SetTitle(fmt.Sprint("initiative ", i)).SetSectors([]sector.Sector{sector.Water}).
			AddMunicipalities(m, town).SaveX(sys())
	}
	return m.ID
}

// TestLibraryStatementsDoNotGrowWithData: the library's lists, the
// organisations and the overlaps cost as many statements for 3 rows as
// for 30, the actors of a list of municipalities too (with the right
// actors for each town); a municipality's actors cost at most seven.
func TestLibraryStatementsDoNotGrowWithData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, small *db.Store) {
		stores := []*db.Store{small, dbtest.Open(t, dbtestDialect(small))}
		counts := make([][]int, len(stores))
		for i, store := range stores {
			m := fillLibrary(t, store, 3+27*i)
			cs, c := counted(store)
			h := serve(t, cs)
			for _, sc := range libraryStatementCases {
				counts[i] = append(counts[i], len(countStatements(t, h, c, sc.signedIn, sc.query, sc.vars, nil)))
			}
			actors := countStatements(t, h, c, false, `query($m: ID!) { node(id: $m) { ... on Municipality {
				actors { name roles initiatives { title } } } } }`, map[string]any{"m": strconv.Itoa(m)}, nil)
			if len(actors) > 8 {
				t.Errorf("actors of a municipality: %d statements\n%s", len(actors), strings.Join(actors, "\n"))
			}
			checkActorsOfTowns(t, h, 3+27*i)
		}
		for j, sc := range libraryStatementCases {
			t.Logf("%s: %d statements for 3 rows, %d for 30", sc.name, counts[0][j], counts[1][j])
			if counts[0][j] != counts[1][j] {
				t.Errorf("%s: %d statements for 3 rows, %d for 30", sc.name, counts[0][j], counts[1][j])
			}
		}
	})
}

// checkActorsOfTowns checks the actors that a list of municipalities reads
// for each of the n towns of fillLibrary: its association (a member) and
// the organisation of its initiative.
func checkActorsOfTowns(t *testing.T, h *hub, n int) {
	t.Helper()
	var v struct {
		Municipalities struct {
			Edges []struct {
				Node struct {
					Name   string
					Actors []struct {
						Name        string
						Roles       []string
						Initiatives []struct{ Title string }
					}
				}
			}
		}
	}
	resp := h.query(t, libraryStatementCases[2].query, nil)
	resp.NoErrors(t)
	resp.Decode(t, &v)
	towns := 0
	for _, e := range v.Municipalities.Edges {
		var i int
		if _, err := fmt.Sscanf(e.Node.Name, "town %d", &i); err != nil {
			continue
		}
		towns++
		got := fmt.Sprintf("%+v", e.Node.Actors)
		want := fmt.Sprintf("[{Name:A%d Roles:[MEMBER] Initiatives:[]} {Name:org %d Roles:[INITIATIVE] Initiatives:[{Title:initiative %d}]}]", i, i, i)
		if got != want {
			t.Errorf("%s: actors %s, want %s", e.Node.Name, got, want)
		}
	}
	if towns != n {
		t.Errorf("%d towns listed, want %d", towns, n)
	}
}
