package main

import (
	"errors"
	"log/slog"
)

// SeedCmd loads demo or synthetic data.
type SeedCmd struct {
	Demo bool `help:"Load the real Bridges of Trust demo data."`
}

// Run seeds the store.
func (c *SeedCmd) Run(g *Globals, logger *slog.Logger) error {
	return errors.New("not implemented yet")
}
