package importer_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/server"
)

// unsafeFile has good rows (lines 2 and 12) and rows that no column may
// hold: bytes that are not UTF-8, spreadsheet formulas, control
// characters, an over-long cell and values over the schema's lengths.
var unsafeFile = header +
	"pilot,Chuhuiv,Kharkiv,Kuldīga,LV,LALRG,culture,https://example.org/a\n" + // 2 good
	"pilot,Fastiv,Kyiv,K\xfcldiga,LV,,,\n" + // 3 Latin-1, not UTF-8
	"pilot,Fastiv,Kyiv,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Kyiv\"\")\",LV,,,\n" + // 4 formula
	"pilot,Fastiv,Kyiv,Druskininkai,LT,,culture; @SUM(A1:A9),\n" + // 5 formula in a list item
	"pilot,Fastiv,Kyiv,Druskininkai,LT,+LALRG,,\n" + // 6 plus
	"pilot,Fastiv,Kyiv,Druskininkai,LT,,-2+3+cmd,\n" + // 7 minus
	"pilot,Fastiv,Kyiv,Druskininkai,LT,,\"" + strings.Repeat("t", 10<<20) + "\",\n" + // 8 a 10 MB theme
	"pilot,Fastiv,Kyiv,Druskininkai,LT,," + strings.Repeat("t", 101) + ",\n" + // 9 a theme over the schema's 100 bytes
	"pilot,Fast\x00iv,Kyiv,Druskininkai,LT,,,\n" + // 10 NUL
	"pilot,Fastiv,Kyiv,Druskininkai,LT,," + strings.Repeat("t;", 21) + ",\n" + // 11 21 themes
	"recovery,Malyn,Zhytomyr,Teruel,ES,FEMP,housing,\n" + // 12 good
	"pilot,Fastiv,Kyiv," + strings.Repeat("D", 201) + ",LT,,,\n" // 13 a name over 200 bytes

var unsafeLines = []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13}

// TestImportRefusesUnsafeCells imports a file with unsafe cells on every
// database: nothing is imported, every bad line is listed with its column
// in a UTF-8 message; with --skip-invalid the good rows are, and the
// server then answers with valid JSON.
func TestImportRefusesUnsafeCells(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		rep, err := importString(store.Client, unsafeFile, importer.Options{CreateMissing: true})
		var invalid *importer.InvalidRowsError
		if !errors.As(err, &invalid) {
			t.Fatalf("got error %v, want InvalidRowsError", err)
		}
		if got := lines(invalid.Rows); !slices.Equal(got, unsafeLines) {
			t.Fatalf("bad lines %v, want %v\n%.3000v", got, unsafeLines, err)
		}
		msg := err.Error()
		if !utf8.ValidString(msg) || len(msg) > 10_000 {
			t.Errorf("the error is not short UTF-8 text (%d bytes)", len(msg))
		}
		for _, want := range []string{"eu_municipality is not UTF-8", `eu_municipality "=HYPERLINK`, `themes "@SUM(A1:A9)" starts with '@'`,
			`association "+LALRG" starts with '+'`, `themes "-2+3+cmd"`, "themes is 10485760 bytes long", "themes: item",
			"ua_municipality contains a control character", "themes: at most 20", "eu_municipality \"DDD"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error lacks %q:\n%.3000s", want, msg)
			}
		}
		if got := storeCounts(t, store.Client); got != [6]int{} {
			t.Errorf("store not empty after a refused import: %v", got)
		}

		rep, err = importString(store.Client, unsafeFile, importer.Options{SkipInvalid: true, CreateMissing: true})
		if err != nil || rep.Partnerships.Created != 2 || rep.Skipped != len(unsafeLines) {
			t.Fatalf("import with skip: %+v, %v", rep, err)
		}
		srv := httptest.NewServer(server.New(server.DefaultConfig(), store, slog.New(slog.DiscardHandler)).Handler())
		defer srv.Close()
		resp := gqltest.Post(t, srv.URL+"/graphql", `{ partnerships(first: 10) { totalCount edges { node { themes
			ukrainianMunicipality { name } europeanMunicipality { name } facilitators { edges { node { acronym } } } } } } }`, nil, nil)
		resp.NoErrors(t)
		if !json.Valid(resp.Body) || !strings.Contains(string(resp.Data), `"totalCount":2`) {
			t.Errorf("partnerships after the import: %s", resp.Body)
		}
	})
}

// TestImportRefusesNonUTF8Header checks that a header that is not UTF-8
// is refused with its line.
func TestImportRefusesNonUTF8Header(t *testing.T) {
	client := dbtest.Open(t, "sqlite").Client
	_, err := importString(client, "phase,ua_municipality,ua_oblast,eu_municipality,eu_country,th\xe9mes\n", importer.Options{})
	if err == nil || !strings.Contains(err.Error(), "line 1: the name of column 6 is not UTF-8") || !utf8.ValidString(err.Error()) {
		t.Errorf("got %v", err)
	}
}
