package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"text/tabwriter"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/importer"
)

// ImportCmd imports spreadsheets.
type ImportCmd struct {
	Partnerships ImportPartnershipsCmd `cmd:"" help:"Import partnerships from a CSV file."`
}

// ImportPartnershipsCmd imports a partnerships CSV file.
type ImportPartnershipsCmd struct {
	File          string `arg:"" type:"existingfile" help:"CSV file with the columns of the partnerships spreadsheet."`
	DryRun        bool   `name:"dry-run" help:"Print what the import would change, and write nothing."`
	Update        bool   `name:"update" help:"Apply the changes rows make to stored partnerships (phase, source, themes, facilitators); without it they are conflicts and nothing is imported."`
	CreateMissing bool   `name:"create-missing" help:"Create the phases and associations the Hub lacks, and new municipalities close to a stored name; without it their rows are invalid."`
	SkipInvalid   bool   `name:"skip-invalid" help:"Import the valid rows and list the invalid and conflicting ones; without it a file with any imports nothing."`
}

// stdout is where commands print their reports (tests replace it).
var stdout io.Writer = os.Stdout

// Run imports the file in one transaction and prints what it did, or
// with --dry-run what it would do. It fails, importing nothing, when rows
// are invalid or conflict with the store and are not skipped.
func (c *ImportPartnershipsCmd) Run(g *Globals, logger *slog.Logger) error {
	// The operator at the console acts as the system.
	ctx, stop := signal.NotifyContext(authz.SystemContext(context.Background()), os.Interrupt)
	defer stop()
	f, err := os.Open(c.File)
	if err != nil {
		return err
	}
	defer f.Close()
	store, err := openStore(ctx, g, logger, true)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := importer.Partnerships(ctx, store.Client, f, importer.Options{
		SkipInvalid: c.SkipInvalid, Update: c.Update, CreateMissing: c.CreateMissing, DryRun: c.DryRun,
		Logger: logger, Source: "hub import partnerships " + c.File,
	})
	var (
		invalid   *importer.InvalidRowsError
		conflicts *importer.ConflictsError
	)
	switch {
	case errors.As(err, &invalid):
		printNotes(stdout, rep)
		printBadRows(stdout, rep.BadRows)
		return fmt.Errorf("%s: %d invalid row(s), nothing imported (--skip-invalid imports the valid rows)", c.File, len(invalid.Rows))
	case errors.As(err, &conflicts):
		printNotes(stdout, rep)
		printChanges(stdout, "conflicts (--update applies them)", conflicts.Conflicts)
		return fmt.Errorf("%s: %d row(s) would change stored partnerships, nothing imported (--update applies them)", c.File, len(conflicts.Conflicts))
	case err != nil:
		return fmt.Errorf("%s: %w", c.File, err)
	}
	printReport(stdout, c.File, rep)
	return nil
}

// printReport writes what an import did (or would do): the names matched,
// the changes with their lines, the counts as a table, then the rows it
// skipped.
func printReport(w io.Writer, file string, rep importer.Report) {
	verb := "imported"
	if rep.DryRun {
		verb = "would be imported (dry run: nothing written)"
	}
	fmt.Fprintf(w, "%s: %d row(s) read, %d %s, %d skipped\n", file, rep.Rows, rep.Rows-rep.Skipped, verb, rep.Skipped)
	printNotes(w, rep)
	printChanges(w, "changes", rep.Changes)
	printChanges(w, "conflicts left out (--update applies them)", rep.Conflicts)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tcreated\tupdated\tunchanged\t")
	rows := []struct {
		name string
		c    importer.Counts
	}{
		{"countries", rep.Countries}, {"regions", rep.Regions}, {"municipalities", rep.Municipalities},
		{"phases", rep.Phases}, {"associations", rep.Associations}, {"partnerships", rep.Partnerships},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", r.name, r.c.Created, r.c.Updated, r.c.Unchanged)
	}
	tw.Flush()
	printBadRows(w, rep.BadRows)
}

// printNotes lists the names matched other than exactly, and the near
// misses created anyway.
func printNotes(w io.Writer, rep importer.Report) {
	if len(rep.Matches) > 0 {
		fmt.Fprintf(w, "%d name(s) matched stored entries:\n", len(rep.Matches))
		for _, m := range rep.Matches {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
	for _, warning := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warning)
	}
}

// printChanges lists changes under a title.
func printChanges(w io.Writer, title string, changes []importer.Change) {
	if len(changes) == 0 {
		return
	}
	fmt.Fprintf(w, "%d %s:\n", len(changes), title)
	for _, c := range changes {
		fmt.Fprintf(w, "  %s\n", c)
	}
}

// printBadRows lists invalid rows with their line numbers.
func printBadRows(w io.Writer, rows []importer.BadRow) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "%d invalid row(s):\n", len(rows))
	for _, r := range rows {
		fmt.Fprintf(w, "  %s\n", r)
	}
}
