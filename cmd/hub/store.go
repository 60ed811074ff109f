package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/bridgesoftrust/hub/internal/db"
)

// openStore opens the configured store and, when migrate is set, applies
// the migrations.
func openStore(ctx context.Context, g *Globals, logger *slog.Logger, migrate bool) (*db.Store, error) {
	store, err := db.Open(g.DatabaseURL)
	if err != nil {
		return nil, err
	}
	store.SetMaxConns(g.DBMaxConns)
	logger.Info("store opened", "dialect", store.Dialect, "url", db.Redact(g.DatabaseURL))
	if migrate {
		if err := db.Migrate(ctx, store); err != nil {
			store.Close()
			return nil, fmt.Errorf("migrating: %w", err)
		}
	}
	return store, nil
}
