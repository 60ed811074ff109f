package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/bridgesoftrust/hub/internal/backup"
	"github.com/bridgesoftrust/hub/internal/db"
)

// BackupCmd copies the store to a file while the Hub may be serving.
type BackupCmd struct {
	File string `arg:"" type:"path" help:"The backup file to write (replaced if it exists)."`
}

// Run writes a checked, consistent copy of a SQLite store to the file.
func (c *BackupCmd) Run(g *Globals, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	store, err := openStore(ctx, g, logger, false)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := os.MkdirAll(filepath.Dir(c.File), 0o750); err != nil {
		return err
	}
	info, err := backup.Create(ctx, store, c.File)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: backup of %s, %d bytes, migration %s, integrity ok\n", c.File, db.Redact(g.DatabaseURL), info.Bytes, info.Migration)
	return nil
}

// RestoreCmd replaces the store's content with a backup.
type RestoreCmd struct {
	File string `arg:"" type:"existingfile" help:"A backup file written by hub backup."`
}

// Run checks the backup and copies it over a SQLite store. The store is
// not migrated: hub serve or hub migrate brings an older backup up to date.
func (c *RestoreCmd) Run(g *Globals, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	store, err := openStore(ctx, g, logger, false)
	if err != nil {
		return err
	}
	defer store.Close()
	info, err := backup.Restore(ctx, store, c.File)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s restored into %s (migration %s), integrity ok\n", c.File, db.Redact(g.DatabaseURL), info.Migration)
	return nil
}
