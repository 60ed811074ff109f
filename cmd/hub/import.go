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
	File        string `arg:"" type:"existingfile" help:"CSV file with the columns of the partnerships spreadsheet."`
	SkipInvalid bool   `name:"skip-invalid" help:"Import the valid rows and list the invalid ones; without it a file with invalid rows imports nothing."`
}

// Run imports the file in one transaction and prints what it did. It
// fails, importing nothing, when rows are invalid and not skipped.
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
	rep, err := importer.Partnerships(ctx, store.Client, f, importer.Options{SkipInvalid: c.SkipInvalid, Logger: logger})
	var invalid *importer.InvalidRowsError
	if errors.As(err, &invalid) {
		printBadRows(os.Stdout, rep.BadRows)
		return fmt.Errorf("%s: %d invalid row(s), nothing imported (--skip-invalid imports the valid rows)", c.File, len(invalid.Rows))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	printReport(os.Stdout, c.File, rep)
	return nil
}

// printReport writes the counts of an import as a table, then the rows it
// skipped.
func printReport(w io.Writer, file string, rep importer.Report) {
	fmt.Fprintf(w, "%s: %d row(s) read, %d imported, %d skipped\n", file, rep.Rows, rep.Rows-rep.Skipped, rep.Skipped)
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
