package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// fileStoreURL returns the URL of a fresh store of the dialect that
// outlives each command's connections: a SQLite file, or a PostgreSQL
// database.
func fileStoreURL(t *testing.T, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return "sqlite://" + filepath.Join(t.TempDir(), "hub.db")
	}
	return dbtest.URL(t, dialect)
}

// runOut runs the hub command line and returns what it printed.
func runOut(t *testing.T, dbURL string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	stdout = &out
	defer func() { stdout = os.Stdout }()
	err := runHub(t, dbURL, "", args...)
	return out.String(), err
}

// TestImportCommand runs hub import partnerships on a demo store of each
// database with the file cases, and checks what it prints, what
// it refuses, and the result through the API.
func TestImportCommand(t *testing.T) {
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			dbURL := fileStoreURL(t, dia)
			if err := runHub(t, dbURL, "", "seed", "--demo"); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			write := func(name, body string) string {
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, []byte("phase,ua_municipality,ua_oblast,eu_municipality,eu_country,association,themes,source\n"+body), 0o600); err != nil {
					t.Fatal(err)
				}
				return path
			}
			source := "https://www.lps.lv/en/news/lalrg/7651-bridges-of-trust-project-succeeding-cooperation-for-sustainable-development-in-ukrainian-municipalities"
			typo := write("typo.csv", "recovry,chuhuiv,Kharkiv,Kuldiga,LV,lalrg,\"culture; sustainable development\","+source+"\n")
			moved := write("moved.csv", "recovery,chuhuiv,Kharkiv,Kuldiga,LV,lalrg,\"culture; sustainable development\",https://example.org/moved\n")
			newPhase := write("new.csv", "community-hub,Fastiv,Kyiv,Kuldiga,LV,,,\n")

			cases := []struct {
				file    string
				flags   []string
				fails   bool
				printed []string
			}{
				{typo, nil, true, []string{`line 2: phase "recovry" is not in the Hub (did you mean "recovery"?); --create-missing creates it`,
					`line 2: municipality "chuhuiv" is Chuhuiv (UA)`}},
				{moved, nil, true, []string{`1 conflicts (--update applies them):`,
					`line 2: conflict partnership Chuhuiv (UA) – Kuldīga (LV): phase "pilot" → "recovery"; source "` + source + `" → "https://example.org/moved"`}},
				{moved, []string{"--dry-run", "--update"}, false, []string{"would be imported (dry run: nothing written)",
					`line 2: update partnership Chuhuiv (UA) – Kuldīga (LV): phase "pilot" → "recovery"`}},
				{moved, nil, true, []string{"1 conflicts"}}, // the dry run wrote nothing
				{newPhase, nil, true, []string{`line 2: phase "community-hub" is not in the Hub; --create-missing creates it`}},
				{newPhase, []string{"--create-missing"}, false, []string{"line 2: create phase community-hub",
					"line 2: create partnership Fastiv (UA) – Kuldīga (LV)"}},
				{moved, []string{"--update"}, false, []string{`line 2: update partnership Chuhuiv (UA) – Kuldīga (LV): phase "pilot" → "recovery"`}},
			}
			for _, c := range cases {
				out, err := runOut(t, dbURL, append([]string{"import", "partnerships", c.file}, c.flags...)...)
				if (err != nil) != c.fails {
					t.Fatalf("%s %v: error %v\n%s", filepath.Base(c.file), c.flags, err, out)
				}
				for _, want := range c.printed {
					if !strings.Contains(out, want) {
						t.Errorf("%s %v printed\n%s\nwithout %q", filepath.Base(c.file), c.flags, out, want)
					}
				}
			}
			checkImportedThroughAPI(t, dbURL, moved)
		})
	}
}

// checkImportedThroughAPI checks through the API that the last import
// moved the partnership and that the audit log names its file and line.
func checkImportedThroughAPI(t *testing.T, dbURL, file string) {
	t.Helper()
	store, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	endpoint := serveStore(t, store)
	resp := gqltest.Post(t, endpoint, `{ partnerships(where: {hasUkrainianMunicipalityWith: [{nameEqualFold: "CHUHUIV"}]}) { edges { node { source phase { name } } } }
		auditLogs(first: 1, where: {entity: "Partnership", operation: UPDATE}, orderBy: {field: AT, direction: DESC}) { edges { node { actorLabel changedFields } } } }`,
		nil, authtest.Secretariat(t, store))
	resp.NoErrors(t)
	var got struct {
		Partnerships struct {
			Edges []struct {
				Node struct {
					Source string
					Phase  struct{ Name string }
				}
			}
		}
		AuditLogs struct {
			Edges []struct {
				Node struct {
					ActorLabel    string
					ChangedFields []string
				}
			}
		}
	}
	resp.Decode(t, &got)
	if e := got.Partnerships.Edges; len(e) != 1 || e[0].Node.Phase.Name != "recovery" || e[0].Node.Source != "https://example.org/moved" {
		t.Errorf("Chuhuiv's partnership after --update: %+v", e)
	}
	want := "hub import partnerships " + file + " line 2"
	if e := got.AuditLogs.Edges; len(e) != 1 || e[0].Node.ActorLabel != want {
		t.Errorf("last partnership update in the audit log: %+v, want label %q", e, want)
	}
}
