package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	evs "github.com/bridgesoftrust/hub/internal/events"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/storage"
	"github.com/bridgesoftrust/hub/internal/telemetry"
)

// ServeCmd serves the GraphQL API. Every setting is a flag whose default
// comes from a HUB_... environment variable; the defaults are those of
// server.DefaultConfig (serve_test.go checks that they agree).
type ServeCmd struct {
	MailFlags `embed:""`

	Addr         string `name:"addr" env:"HUB_ADDR" default:"127.0.0.1:8080" help:"Address to listen on (host:port)."`
	MetricsAddr  string `name:"metrics-addr" env:"HUB_METRICS_ADDR" default:"127.0.0.1:9464" help:"Address (host:port) serving Prometheus metrics at /metrics, apart from the API; empty: no metrics."`
	Pprof        bool   `name:"pprof" env:"HUB_PPROF" help:"Also serve Go's profiles at /debug/pprof/ on the metrics address (for measuring; keep that address private)."`
	OTLPEndpoint string `name:"otlp-endpoint" env:"HUB_OTLP_ENDPOINT" help:"OpenTelemetry collector receiving traces over OTLP/HTTP, e.g. http://127.0.0.1:4318 (the OTEL_EXPORTER_OTLP_* variables also work). Default: no traces."`
	NoMigrate    bool   `name:"no-migrate" env:"HUB_NO_MIGRATE" help:"Do not apply the schema migrations on start."`
	Demo         bool   `name:"demo" env:"HUB_DEMO" help:"Seed the demo data set into an empty store before serving."`

	MaxBodyBytes   int64  `name:"max-body-bytes" env:"HUB_MAX_BODY_BYTES" default:"1048576" help:"Largest request body in bytes; larger requests get 413."`
	MaxUploadBytes int64  `name:"max-upload-bytes" env:"HUB_MAX_UPLOAD_BYTES" default:"20971520" help:"Largest file upload (a multipart request) in bytes; larger ones are refused."`
	FilesDir       string `name:"files-dir" env:"HUB_FILES_DIR" default:"data/files" help:"Directory keeping the library's files on local disk (the default store)."`
	FilesURL       string `name:"files-url" env:"HUB_FILES_URL" help:"S3-compatible store for the library's files instead of --files-dir: s3://ACCESS:SECRET@host[:port]/bucket (?insecure=true for plain HTTP; without credentials in the URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)."`
	MaxTokens      int    `name:"max-tokens" env:"HUB_MAX_TOKENS" default:"10000" help:"Most lexical tokens in a query."`
	MaxSelections  int    `name:"max-selections" env:"HUB_MAX_SELECTIONS" default:"500" help:"Most fields and fragments written in a query."`
	MaxDepth       int    `name:"max-depth" env:"HUB_MAX_DEPTH" default:"15" help:"Deepest nesting of fields in a query."`
	MaxAliases     int    `name:"max-aliases" env:"HUB_MAX_ALIASES" default:"50" help:"Most aliases in a query."`
	MaxComplexity  int    `name:"max-complexity" env:"HUB_MAX_COMPLEXITY" default:"25000" help:"Highest estimated query cost (fields, multiplied by the page sizes of their lists)."`
	MaxPageSize    int    `name:"max-page-size" env:"HUB_MAX_PAGE_SIZE" default:"100" help:"Largest first/last, and most ids in nodes(ids:)."`
	MaxListItems   int    `name:"max-list-items" env:"HUB_MAX_LIST_ITEMS" default:"1000" help:"Most items in any list argument, such as an idIn filter."`
	MaxInputValues int    `name:"max-input-values" env:"HUB_MAX_INPUT_VALUES" default:"10000" help:"Most values in all the arguments of a request together."`
	MaxStringBytes int    `name:"max-string-bytes" env:"HUB_MAX_STRING_BYTES" default:"100000" help:"Longest string argument, in bytes."`

	RequestTimeout  time.Duration `name:"request-timeout" env:"HUB_REQUEST_TIMEOUT" default:"10s" help:"Longest a query or mutation may run."`
	ShutdownTimeout time.Duration `name:"shutdown-timeout" env:"HUB_SHUTDOWN_TIMEOUT" default:"15s" help:"Longest wait for running requests on shutdown."`
	QueryCacheSize  int           `name:"query-cache-size" env:"HUB_QUERY_CACHE_SIZE" default:"1000" help:"Parsed queries kept in the LRU cache."`
	APQCacheSize    int           `name:"apq-cache-size" env:"HUB_APQ_CACHE_SIZE" default:"1000" help:"Automatic persisted queries kept in the LRU cache."`

	Introspection bool `name:"introspection" env:"HUB_INTROSPECTION" default:"true" negatable:"" help:"Answer schema introspection (--no-introspection in production if the schema is private)."`
	Explorer      bool `name:"explorer" env:"HUB_EXPLORER" default:"true" negatable:"" help:"Serve the GraphiQL explorer at / (--no-explorer in production)."`

	BulkPageSize int           `name:"bulk-page-size" env:"HUB_BULK_PAGE_SIZE" default:"1000" help:"Largest page for API keys with the bulk scope (secretariat and analysts)."`
	SessionTTL   time.Duration `name:"session-ttl" env:"HUB_SESSION_TTL" default:"168h" help:"How long a session lasts unused; each use renews it once half has passed."`
	LoginLimit   int           `name:"login-failures-per-account" env:"HUB_LOGIN_FAILURES_PER_ACCOUNT" default:"10" help:"Failed sign-ins per account and minute before further attempts are refused."`
	AddressLimit int           `name:"login-failures-per-address" env:"HUB_LOGIN_FAILURES_PER_ADDRESS" default:"50" help:"Failed sign-ins per client address and minute before further attempts are refused."`

	TrustedProxies []string `name:"trusted-proxies" env:"HUB_TRUSTED_PROXIES" sep:"," help:"Addresses and CIDR ranges of the reverse proxies in front of the Hub, comma-separated: requests from them are taken to come from the rightmost untrusted address of X-Forwarded-For (or Forwarded). Default: none; the client is the socket's peer."`

	RateLimitUser      int           `name:"rate-limit-user" env:"HUB_RATE_LIMIT_USER" default:"5000" help:"Points each signed-in user may spend per window: one per 100 of an operation's estimated cost, at least one per operation (0: no limit)."`
	RateLimitAPIKey    int           `name:"rate-limit-api-key" env:"HUB_RATE_LIMIT_API_KEY" default:"5000" help:"Points each API key may spend per window (0: no limit)."`
	RateLimitAnonymous int           `name:"rate-limit-anonymous" env:"HUB_RATE_LIMIT_ANONYMOUS" default:"1000" help:"Points each client address without credentials may spend per window (0: no limit)."`
	RateLimitWindow    time.Duration `name:"rate-limit-window" env:"HUB_RATE_LIMIT_WINDOW" default:"1h" help:"Time in which a spent rate limit budget refills, evenly."`

	CORSOrigins []string      `name:"cors-origins" env:"HUB_CORS_ORIGINS" sep:"," help:"Origins (scheme://host[:port]) whose pages may call the API from a browser (CORS), comma-separated; * allows any. They may also open websockets unless --ws-allowed-origins names others."`
	CORSMaxAge  time.Duration `name:"cors-max-age" env:"HUB_CORS_MAX_AGE" default:"2h" help:"How long browsers may keep the answer to a CORS preflight (Access-Control-Max-Age)."`

	WSAllowedOrigins []string      `name:"ws-allowed-origins" env:"HUB_WS_ALLOWED_ORIGINS" sep:"," help:"Origins (besides the Hub's own) allowed to open websockets, comma-separated; * allows any. Default: those of --cors-origins."`
	WSInitTimeout    time.Duration `name:"ws-init-timeout" env:"HUB_WS_INIT_TIMEOUT" default:"10s" help:"Time a websocket may take to send connection_init (else closed with 4408)."`
	WSMaxMessage     int64         `name:"ws-max-message-bytes" env:"HUB_WS_MAX_MESSAGE_BYTES" default:"65536" help:"Largest websocket message accepted (else closed with 1009)."`
	WSMaxOperations  int           `name:"ws-max-operations" env:"HUB_WS_MAX_OPERATIONS" default:"100" help:"Subscriptions and other operations running at once per websocket."`
	WSSendBuffer     int           `name:"ws-send-buffer" env:"HUB_WS_SEND_BUFFER" default:"256" help:"Messages queued per websocket; a client that falls further behind is disconnected."`
	WSRecheck        time.Duration `name:"ws-recheck-interval" env:"HUB_WS_RECHECK_INTERVAL" default:"30s" help:"How often the credentials of open websockets are checked again besides on change events and at expiry (the longest a change by the command line on SQLite takes to close them)."`
}

// Run serves until SIGINT or SIGTERM, then drains running requests.
func (c *ServeCmd) Run(g *Globals, logger *slog.Logger) error {
	defer setServeGC()()
	cfg := c.config()
	if err := cfg.Validate(); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger = slog.New(server.ContextHandler(logger.Handler()))
	slog.SetDefault(logger)
	stopTracing, err := c.startTracing(ctx, logger)
	if err != nil {
		return err
	}
	defer stopTracing()
	store, err := c.open(ctx, g, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	// PostgreSQL LISTEN/NOTIFY when the store is PostgreSQL, so that every
	// replica's subscribers see every event; in process for SQLite.
	metrics := telemetry.NewMetrics()
	events, err := pubsub.Open(ctx, store.Dialect, g.DatabaseURL, store.DB, pubsub.WithLogger(logger),
		pubsub.WithReconnectHook(metrics.PubSubReconnected))
	if err != nil {
		return fmt.Errorf("opening the event fan-out: %w", err)
	}
	defer events.Close()
	if err := c.startMail(ctx, store, logger); err != nil {
		return err
	}
	files, err := c.openFiles(ctx)
	if err != nil {
		return err
	}
	return server.New(cfg, store, logger, server.WithPubSub(events), server.WithMetrics(metrics), server.WithFiles(files)).Run(ctx)
}

// openFiles opens the store of the library's files: the S3-compatible
// store of --files-url, else the directory of --files-dir.
func (c *ServeCmd) openFiles(ctx context.Context) (storage.Store, error) {
	location := c.FilesDir
	if c.FilesURL != "" {
		location = c.FilesURL
	}
	files, err := storage.Open(ctx, location)
	if err != nil {
		return nil, fmt.Errorf("opening the file store: %w", err)
	}
	return files, nil
}

// startMail starts the periodic jobs: event reminders, and with
// --smtp-url the e-mails. They run beside the requests, which never wait
// for them.
func (c *ServeCmd) startMail(ctx context.Context, store *db.Store, logger *slog.Logger) error {
	if err := c.setSecret(logger); err != nil {
		return err
	}
	go evs.RemindLoop(ctx, store.Client, c.MailInterval, logger)
	sender, err := c.sender(store.Client, logger)
	if err != nil || sender == nil {
		return err
	}
	go sender.Loop(ctx, c.MailInterval)
	return nil
}

// startTracing exports traces when an OTLP endpoint is configured, the
// SQL statements included; stop flushes them on the way out.
func (c *ServeCmd) startTracing(ctx context.Context, logger *slog.Logger) (stop func(), err error) {
	if !telemetry.TracingEnabled(c.OTLPEndpoint) {
		return func() {}, nil
	}
	shutdown, err := telemetry.StartTracing(ctx, c.OTLPEndpoint, version())
	if err != nil {
		return nil, err
	}
	db.TraceSQL()
	logger.Info("exporting traces over OTLP", "endpoint", c.OTLPEndpoint)
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdown(sctx); err != nil {
			logger.Warn("flushing traces", "err", err)
		}
	}, nil
}

// open opens the store, migrates it unless --no-migrate, and with --demo
// seeds the demo data set (and its demo accounts) into it if it is empty.
func (c *ServeCmd) open(ctx context.Context, g *Globals, logger *slog.Logger) (*db.Store, error) {
	store, err := openStore(ctx, g, logger, !c.NoMigrate)
	if err != nil {
		return nil, err
	}
	if c.Demo {
		if err := seedDemo(ctx, store, logger); err != nil {
			store.Close()
			return nil, err
		}
	}
	return store, nil
}

// authConfig returns the session and sign-in throttle settings.
func (c *ServeCmd) authConfig() auth.Config {
	cfg := auth.DefaultConfig()
	cfg.SessionTTL = c.SessionTTL
	cfg.Throttle.PerAccount = c.LoginLimit
	cfg.Throttle.PerAddress = c.AddressLimit
	return cfg
}

// config returns the server configuration the flags describe.
func (c *ServeCmd) config() server.Config {
	return server.Config{
		Addr:            c.Addr,
		MetricsAddr:     c.MetricsAddr,
		Profiling:       c.Pprof,
		MaxBodyBytes:    c.MaxBodyBytes,
		MaxUploadBytes:  c.MaxUploadBytes,
		MaxTokens:       c.MaxTokens,
		MaxSelections:   c.MaxSelections,
		MaxDepth:        c.MaxDepth,
		MaxAliases:      c.MaxAliases,
		MaxComplexity:   c.MaxComplexity,
		MaxPageSize:     c.MaxPageSize,
		MaxListItems:    c.MaxListItems,
		MaxInputValues:  c.MaxInputValues,
		MaxStringBytes:  c.MaxStringBytes,
		RequestTimeout:  c.RequestTimeout,
		ShutdownTimeout: c.ShutdownTimeout,
		QueryCacheSize:  c.QueryCacheSize,
		APQCacheSize:    c.APQCacheSize,
		Introspection:   c.Introspection,
		BulkPageSize:    c.BulkPageSize,
		Auth:            c.authConfig(),
		WebSocket: server.WebSocketConfig{
			AllowedOrigins:  c.WSAllowedOrigins,
			InitTimeout:     c.WSInitTimeout,
			MaxMessageSize:  c.WSMaxMessage,
			MaxOperations:   c.WSMaxOperations,
			SendBuffer:      c.WSSendBuffer,
			RecheckInterval: c.WSRecheck,
		},
		CORS: server.CORSConfig{Origins: c.CORSOrigins, MaxAge: c.CORSMaxAge},
		RateLimit: server.RateLimitConfig{User: c.RateLimitUser, APIKey: c.RateLimitAPIKey,
			Anonymous: c.RateLimitAnonymous, Window: c.RateLimitWindow},
		Explorer:       c.Explorer,
		TrustedProxies: c.TrustedProxies,
	}
}

// seedDemo loads the demo data set into an empty store.
func seedDemo(ctx context.Context, store *db.Store, logger *slog.Logger) error {
	loaded, err := seed.DemoIfEmpty(authz.SystemContext(ctx), store.Client)
	if err != nil {
		return fmt.Errorf("seeding demo data: %w", err)
	}
	if loaded {
		logger.Info("demo data loaded into the empty store")
	} else {
		logger.Info("store is not empty; demo data not loaded")
	}
	return nil
}

// version is the module version the binary was built from (its VCS
// revision where the build recorded one), for the traces' resource.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			return s.Value
		}
	}
	return info.Main.Version
}
