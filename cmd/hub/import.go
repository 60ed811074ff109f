package main

import (
	"errors"
	"log/slog"
)

// ImportCmd imports spreadsheets.
type ImportCmd struct {
	Partnerships ImportPartnershipsCmd `cmd:"" help:"Import partnerships from a CSV file."`
}

// ImportPartnershipsCmd imports a partnerships CSV file.
type ImportPartnershipsCmd struct {
	File string `arg:"" type:"existingfile" help:"CSV file with the columns of the partnerships spreadsheet."`
}

// Run imports the file.
func (c *ImportPartnershipsCmd) Run(g *Globals, logger *slog.Logger) error {
	return errors.New("not implemented yet")
}
