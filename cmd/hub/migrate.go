package main

import (
	"context"
	"log/slog"
)

// MigrateCmd applies the versioned migrations.
type MigrateCmd struct{}

// Run applies the migrations to the configured store.
func (c *MigrateCmd) Run(g *Globals, logger *slog.Logger) error {
	store, err := openStore(context.Background(), g, logger, true)
	if err != nil {
		return err
	}
	defer store.Close()
	logger.Info("migrations applied")
	return nil
}
