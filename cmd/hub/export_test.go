package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/export"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// TestExportCommand: hub export writes the demo's partnerships of a phase
// to a file as CSV, every one of them, on both stores; a bad where input
// fails the command with its reason.
func TestExportCommand(t *testing.T) {
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dbURL := dbtest.URL(t, dialect)
			store := testStore(t, dbURL)
			if err := db.Migrate(t.Context(), store); err != nil {
				t.Fatal(err)
			}
			if err := seed.Demo(sysCtx(), store.Client); err != nil {
				t.Fatal(err)
			}
			want := store.Client.Partnership.Query().CountX(sysCtx())
			out := filepath.Join(t.TempDir(), "partnerships.csv")
			if err := runHub(t, dbURL, "", "export", "partnerships", "--format", "csv", "--out", out, "--quiet"); err != nil {
				t.Fatalf("hub export: %v", err)
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			records, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatalf("the file is not CSV: %v", err)
			}
			if len(records) != want+1 || strings.Join(records[0], ",") != strings.Join(export.Columns("partnerships"), ",") {
				t.Fatalf("hub export wrote %d lines with header %v, want %d partnerships", len(records), records[0], want)
			}
			err = runHub(t, dbURL, "", "export", "partnerships", "--where", `{"colour": "red"}`, "--out", out, "--quiet")
			if err == nil || !strings.Contains(err.Error(), "colour") {
				t.Fatalf("hub export with a bad where: %v", err)
			}
		})
	}
}

// sysCtx is a context in which every privacy policy allows.
func sysCtx() context.Context { return authz.SystemContext(context.Background()) }
