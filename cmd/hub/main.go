// Command hub runs the Bridges of Trust Hub: the GraphQL API of the
// community of Ukrainian and EU municipalities.
//
//	hub serve [--demo]        serve the API (migrates the store first)
//	hub migrate               apply the versioned migrations
//	hub seed --demo|--synthetic
//	hub import partnerships FILE.csv [--dry-run|--update|--create-missing]
//	hub backup FILE, hub restore FILE
package main

import (
	"log/slog"
	"os"

	"github.com/alecthomas/kong"

	"github.com/bridgesoftrust/hub/internal/db"
)

// Globals are the flags every command takes.
type Globals struct {
	DatabaseURL string `name:"database-url" env:"HUB_DATABASE_URL" default:"${default_db}" help:"Store: sqlite://PATH (embedded default) or postgres://USER@HOST/DB."`
	DBMaxConns  int    `name:"db-max-conns" env:"HUB_DB_MAX_CONNS" default:"0" help:"Most open database connections; 0: 4 per processor (at least 8) on PostgreSQL, 4 on SQLite."`
	LogLevel    string `name:"log-level" env:"HUB_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Lowest level logged (${enum})."`
	LogFormat   string `name:"log-format" env:"HUB_LOG_FORMAT" default:"text" enum:"text,json" help:"Log format (${enum})."`
}

// CLI is the hub command line.
type CLI struct {
	Globals

	Serve   ServeCmd   `cmd:"" help:"Serve the GraphQL API."`
	Migrate MigrateCmd `cmd:"" help:"Apply the versioned schema migrations."`
	Reindex ReindexCmd `cmd:"" help:"Rebuild the search index from the stored rows."`
	Seed    SeedCmd    `cmd:"" help:"Load demo or synthetic data."`
	Import  ImportCmd  `cmd:"" help:"Import spreadsheets (CSV)."`
	User    UserCmd    `cmd:"" help:"Manage accounts: create, set-password, disable."`
	Backup  BackupCmd  `cmd:"" help:"Copy the SQLite store to a file, also while serving (PostgreSQL: pg_dump)."`
	Restore RestoreCmd `cmd:"" help:"Replace the SQLite store's content with a backup (PostgreSQL: pg_restore)."`
	Digest  DigestCmd  `cmd:"" help:"Send the e-mails due now (notifications, daily and weekly digests) through --smtp-url."`
	Export  ExportCmd  `cmd:"" help:"Write partnerships, municipalities, projects or activities as CSV, NDJSON or GeoJSON."`
}

func main() {
	var cli CLI
	ctx := kong.Parse(&cli,
		kong.Name("hub"),
		kong.Description("The Bridges of Trust Hub: GraphQL API of the community of Ukrainian and EU municipalities."),
		kong.UsageOnError(),
		kong.Vars{"default_db": db.DefaultURL},
	)
	logger := newLogger(cli.LogLevel, cli.LogFormat)
	slog.SetDefault(logger)
	if err := ctx.Run(&cli.Globals, logger); err != nil {
		logger.Error("hub "+ctx.Command()+" failed", "err", err)
		os.Exit(1)
	}
}

// newLogger builds the structured logger on standard error.
func newLogger(level, format string) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lvl}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
