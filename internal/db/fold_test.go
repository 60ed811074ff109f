package db_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/bridgesoftrust/hub/internal/collation"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// foldCorpus is every cell of the demo data set and strings that test the
// edges of folding.
func foldCorpus(t *testing.T) []string {
	t.Helper()
	out := []string{"", "ŠIAULIAI", "İstanbul", "ΟΔΟΣ ΣΟΦΊΑΣ", "Łódź", "Straße", "Đakovo", "Ærøskøbing",
		"e\u0301", "ǅ", "ﬁ", "한국", "50%_off\\", "Ґалаґан", "ЇЖАК"}
	files, err := filepath.Glob(filepath.Join("..", "seed", "data", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("demo data: %v", err)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs {
			out = append(out, rec...)
		}
	}
	return out
}

// TestFoldSameOnBothStores checks that the store's hub_fold (a Go function
// on SQLite, SQL on PostgreSQL) folds every string exactly as
// collation.Fold does, so that searches find the same rows on both.
func TestFoldSameOnBothStores(t *testing.T) {
	corpus := foldCorpus(t)
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		q := "SELECT hub_fold(?)"
		if store.Dialect == "postgres" {
			q = "SELECT hub_fold($1)"
		}
		for _, s := range corpus {
			var got string
			if err := store.DB.QueryRow(q, s).Scan(&got); err != nil {
				t.Fatalf("hub_fold(%q): %v", s, err)
			}
			if want := collation.Fold(s); got != want {
				t.Errorf("hub_fold(%q) = %q, Fold gives %q", s, got, want)
			}
		}
	})
}

// TestCollationSameOnBothStores checks that ORDER BY a name column sorts
// the demo data's names as collation.Compare does on both stores.
func TestCollationSameOnBothStores(t *testing.T) {
	corpus := foldCorpus(t)
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := t.Context()
		tx, err := store.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		ins := "INSERT INTO countries (created_at, updated_at, name, code, eu_member) VALUES (CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?, ?, false)"
		if store.Dialect == "postgres" {
			ins = "INSERT INTO countries (created_at, updated_at, name, code, eu_member) VALUES (now(), now(), $1, $2, false)"
		}
		var names []string
		for i, s := range corpus {
			if s == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, ins, s, i); err != nil {
				t.Fatalf("inserting %q: %v", s, err)
			}
			names = append(names, s)
		}
		rows, err := tx.QueryContext(ctx, "SELECT name FROM countries ORDER BY name, code")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			got = append(got, n)
		}
		if len(got) != len(names) {
			t.Fatalf("read %d names, inserted %d", len(got), len(names))
		}
		for i := 1; i < len(got); i++ {
			if collation.Compare(got[i-1], got[i]) > 0 {
				t.Errorf("%s sorts %q before %q", store.Dialect, got[i-1], got[i])
			}
		}
	})
}
