package main

import (
	"context"
	"log/slog"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/search"
)

// ReindexCmd rebuilds the search index.
type ReindexCmd struct{}

// Run rewrites the search document of every searchable row of the
// configured store (after migrating it).
func (c *ReindexCmd) Run(g *Globals, logger *slog.Logger) error {
	ctx := context.Background()
	store, err := openStore(ctx, g, logger, true)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := search.Reindex(authz.SystemContext(ctx), store.Client)
	if err != nil {
		return err
	}
	logger.Info("search index rebuilt", "documents", n)
	return nil
}
