package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"

	"github.com/schollz/progressbar/v3"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/export"
)

// ExportCmd writes a list of the store as CSV, NDJSON or GeoJSON.
type ExportCmd struct {
	List   string `arg:"" enum:"partnerships,municipalities,projects,activities" help:"The list to export (${enum})."`
	Format string `short:"f" default:"csv" enum:"csv,ndjson,geojson" help:"Output format (${enum})."`
	Where  string `help:"The API's where input as JSON, e.g. '{\"status\":\"ACTIVE\"}' (municipalities also take \"within\": {south, west, north, east})."`
	Out    string `short:"o" type:"path" help:"File to write (standard output if not given)."`
	Quiet  bool   `short:"q" help:"No progress bar."`
}

// Run streams the export from one snapshot of the store. The command line
// reads the store as its operator, who holds its URL: every row.
func (c *ExportCmd) Run(g *Globals, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	store, err := openStore(ctx, g, logger, false)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx = authz.SystemContext(ctx)
	e, err := export.Open(ctx, store.Client, store.Dialect, export.Request{Dataset: c.List, Format: c.Format, Where: c.Where})
	if err != nil {
		return err
	}
	defer e.Close()
	out, closeOut, err := c.output()
	if err != nil {
		return err
	}
	done, finish, err := c.progress(ctx, e)
	if err != nil {
		return err
	}
	if err := e.WriteTo(ctx, out, done); err != nil {
		return err
	}
	finish()
	return closeOut()
}

// output opens the file to write, or standard output.
func (c *ExportCmd) output() (io.Writer, func() error, error) {
	if c.Out == "" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(c.Out)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// progress returns the callback that moves a progress bar on standard
// error (sized by a count of the rows first), and the one that ends it.
func (c *ExportCmd) progress(ctx context.Context, e *export.Export) (func(int), func(), error) {
	if c.Quiet {
		return nil, func() {}, nil
	}
	total, err := e.Count(ctx)
	if err != nil {
		return nil, nil, err
	}
	bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(c.List), progressbar.OptionShowCount(), progressbar.OptionThrottle(100e6))
	return func(rows int) { _ = bar.Set(rows) }, func() { _ = bar.Finish(); fmt.Fprintln(os.Stderr) }, nil
}
