package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/search"
)

// openStore opens the configured store and, when migrate is set, applies
// the migrations and fills an empty search index from the rows already
// stored (a store migrated before search existed, or restored).
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
		if n, err := search.ReindexIfEmpty(authz.SystemContext(ctx), store.Client); err != nil {
			store.Close()
			return nil, fmt.Errorf("filling the search index: %w", err)
		} else if n > 0 {
			logger.Info("search index filled", "documents", n)
		}
	}
	return store, nil
}
