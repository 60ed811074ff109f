package main

import (
	"errors"
	"log/slog"
)

// ServeCmd serves the GraphQL API.
type ServeCmd struct {
	Demo bool `help:"Seed the demo data set into an empty store before serving."`
}

// Run serves until interrupted.
func (c *ServeCmd) Run(g *Globals, logger *slog.Logger) error {
	return errors.New("not implemented yet")
}
