package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// SeedCmd loads demo or synthetic data.
type SeedCmd struct {
	Demo      bool `help:"Load the real Bridges of Trust data set (rows that exist are left as they are)."`
	Synthetic bool `help:"Load a synthetic data set for load tests."`

	Municipalities int    `help:"Synthetic municipalities, about a third of them Ukrainian." default:"2000"`
	Partnerships   int    `help:"Synthetic partnerships (unique pairs)." default:"4000"`
	Projects       int    `help:"Synthetic joint project proposals." default:"3000"`
	Activities     int    `help:"Synthetic activities (missions, visits, forums...)." default:"1000"`
	Topics         int    `help:"Synthetic forum topics, in a public category of their own (none by default)." default:"0"`
	PostsPerTopic  int    `help:"Posts of each synthetic forum topic, its opening included." default:"20"`
	Seed           uint64 `help:"Seed of the synthetic data set: the same seed and sizes give the same data." default:"1"`
}

// Validate asks for at least one data set.
func (c *SeedCmd) Validate() error {
	if !c.Demo && !c.Synthetic {
		return errors.New("say what to load: --demo, --synthetic or both")
	}
	return nil
}

// Run seeds the store, migrating it first. An interrupt rolls back.
func (c *SeedCmd) Run(g *Globals, logger *slog.Logger) error {
	// The operator at the console acts as the system.
	ctx, stop := signal.NotifyContext(authz.SystemContext(context.Background()), os.Interrupt)
	defer stop()
	store, err := openStore(ctx, g, logger, true)
	if err != nil {
		return err
	}
	defer store.Close()
	if c.Demo {
		if err := seed.Demo(ctx, store.Client); err != nil {
			return err
		}
	}
	if !c.Synthetic {
		return nil
	}
	return seed.Synthetic(ctx, store.Client, seed.SyntheticOptions{
		Municipalities: c.Municipalities, Partnerships: c.Partnerships,
		Projects: c.Projects, Activities: c.Activities, Topics: c.Topics, PostsPerTopic: c.PostsPerTopic,
		Seed: c.Seed, Logger: logger,
	})
}
