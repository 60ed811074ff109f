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
	{name: "initiative overlaps", query: `{ initiativeOverlaps(sector: WATER) { municipality { name } first { title organisation { name } } second { title organisation { name } } } }`},
}

// fillLibrary adds n published documents with two files each about a
// municipality, and n organisations with an initiative each in it.
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
		c.Initiative.Create().SetOrganisation(o).SetTitle(fmt.Sprint("initiative ", i)).SetSectors([]sector.Sector{sector.Water}).
			AddMunicipalities(m).SaveX(sys())
	}
	return m.ID
}

// TestLibraryStatementsDoNotGrowWithData: the library's lists, the
// organisations and the overlaps cost as many statements for 3 rows as
// for 30; a municipality's actors cost four.
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
			if len(actors) > 5 {
				t.Errorf("actors of a municipality: %d statements\n%s", len(actors), strings.Join(actors, "\n"))
			}
		}
		for j, sc := range libraryStatementCases {
			t.Logf("%s: %d statements for 3 rows, %d for 30", sc.name, counts[0][j], counts[1][j])
			if counts[0][j] != counts[1][j] {
				t.Errorf("%s: %d statements for 3 rows, %d for 30", sc.name, counts[0][j], counts[1][j])
			}
		}
	})
}
