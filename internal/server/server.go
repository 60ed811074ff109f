package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"entgo.io/ent/dialect"
	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/graph"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/calendar"
	"github.com/bridgesoftrust/hub/internal/clientip"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/email"
	"github.com/bridgesoftrust/hub/internal/export"
	"github.com/bridgesoftrust/hub/internal/library"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/server/explorer"
	"github.com/bridgesoftrust/hub/internal/server/limits"
	"github.com/bridgesoftrust/hub/internal/storage"
	"github.com/bridgesoftrust/hub/internal/telemetry"
	"github.com/bridgesoftrust/hub/internal/viewer"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// Server is the Hub's HTTP server.
type Server struct {
	cfg     Config
	logger  *slog.Logger
	handler http.Handler
	auth    *auth.Service
	ws      *wstransport.Transport
	events  pubsub.PubSub
	feed    *live.Feed
	metrics *telemetry.Metrics
}

// An Option adds to the server what a deployment or a test brings: the
// event fan-out, gqlgen extensions and HTTP middleware around /graphql.
type Option func(*options)

type options struct {
	extensions  []graphql.HandlerExtension
	middlewares []func(http.Handler) http.Handler
	events      pubsub.PubSub
	metrics     *telemetry.Metrics
	files       storage.Store
}

// WithMetrics makes the server record its metrics in m (which the caller
// may also give to the PubSub, see pubsub.WithReconnectHook). Without it
// the server has metrics of its own.
func WithMetrics(m *telemetry.Metrics) Option {
	return func(o *options) { o.metrics = m }
}

// WithPubSub sets the event fan-out of subscriptions: PostgreSQL
// LISTEN/NOTIFY when several replicas share a database. Without it the
// server fans out in process, which serves a single node.
func WithPubSub(ps pubsub.PubSub) Option {
	return func(o *options) { o.events = ps }
}

// WithExtension adds a gqlgen handler extension after the built-in ones.
// A field interceptor sees every field but the plain leaves (a struct
// field or a localized name of a scalar type), which the executor marshals
// without gqlgen's field middleware (graph/codegen/plain.go).
func WithExtension(e graphql.HandlerExtension) Option {
	return func(o *options) { o.extensions = append(o.extensions, e) }
}

// WithFiles keeps the files of library documents in store. Without it
// the server keeps them in memory, which suits tests only: `hub serve`
// passes the store its flags name.
func WithFiles(store storage.Store) Option {
	return func(o *options) { o.files = store }
}

// WithMiddleware wraps the /graphql handler in mw, inside the request id,
// logging and body limit (so mw sees the request id and a bounded body).
// The first middleware given is the outermost.
func WithMiddleware(mw func(http.Handler) http.Handler) Option {
	return func(o *options) { o.middlewares = append(o.middlewares, mw) }
}

// New returns a server for store configured by cfg, logging on logger
// (each line of a request carries its request_id). It panics if cfg does
// not pass Validate: check user-supplied configuration first.
func New(cfg Config, store *db.Store, logger *slog.Logger, opts ...Option) *Server {
	if err := cfg.Validate(); err != nil {
		panic(fmt.Sprintf("server: invalid configuration: %v", err))
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	logger = slog.New(ContextHandler(logger.Handler()))
	if o.events == nil {
		o.events = pubsub.NewBroker(pubsub.WithLogger(logger))
	}
	if o.files == nil {
		o.files = storage.NewMemory()
	}
	s := &Server{cfg: cfg, logger: logger, auth: auth.New(store.Client, cfg.Auth, logger, authOptions(store)...), events: o.events}
	creds := newWSCredentials(s.auth, cfg.WebSocket.RecheckInterval, logger)
	// It ends when the PubSub closes.
	go creds.watcher.Run(context.Background(), s.events)
	s.ws = newWebSocket(cfg.WebSocket, cfg.wsOrigins(), creds, logger)
	s.feed = live.NewFeed(store.Client, s.events, s.logger)
	s.metrics = o.metrics
	if s.metrics == nil {
		s.metrics = telemetry.NewMetrics()
	}
	s.observe(store)
	limiter, err := newRateLimiter(cfg.RateLimit, store)
	if err != nil {
		panic(fmt.Sprintf("server: rate limiter: %v", err)) // Validate checked its settings
	}
	o.extensions = append([]graphql.HandlerExtension{
		rateLimit{limiter: limiter, logger: logger, charged: s.metrics.RateLimit},
		observe{metrics: s.metrics},
	}, o.extensions...)
	s.handler = s.routes(store, o)
	return s
}

// observe registers the metrics read from the server's parts: the store's
// connection pool, open websockets, running subscriptions and the delivery
// lag of their events.
func (s *Server) observe(store *db.Store) {
	s.metrics.Store(store.DB)
	s.metrics.Gauge("hub_websockets_open", "Websocket connections open on this server.",
		func() float64 { return float64(s.ws.Connections()) })
	s.metrics.Gauge("hub_subscriptions", "GraphQL subscriptions running on this server.",
		func() float64 { return float64(s.feed.Subscriptions()) })
	s.feed.ObserveDelivery(s.metrics.Delivery)
}

// MetricsHandler serves the server's Prometheus metrics (what Run serves
// at /metrics on the metrics address).
func (s *Server) MetricsHandler() http.Handler { return s.metrics.Handler() }

// authOptions returns the options of the authentication service for
// store: on PostgreSQL, which several replicas may share, the sign-in
// throttle counts in the store.
func authOptions(store *db.Store) []auth.Option {
	if store.Dialect == dialect.Postgres {
		return []auth.Option{auth.SharedThrottle()}
	}
	return nil
}

// Subscribers returns the number of running subscriptions to an event
// topic (see internal/live) on this server.
func (s *Server) Subscribers(topic string) int { return s.feed.Subscribers(topic) }

// routes builds the HTTP handler.
func (s *Server) routes(store *db.Store, o options) http.Handler {
	files := &library.Files{Store: o.files, MaxBytes: s.cfg.MaxUploadBytes}
	var gql http.Handler = withRequestErrorStatus(newGraphQL(s.cfg, store, graph.NewSchema(store.Client, s.auth, s.feed, files), s.ws, s.logger, o))
	for i := len(o.middlewares) - 1; i >= 0; i-- {
		gql = o.middlewares[i](gql)
	}
	gql = s.auth.Middleware(withViewerLimits(s.cfg, withEvents(s.events, gql)))
	mux := http.NewServeMux()
	mux.Handle("/graphql", withCORS(s.cfg.CORS, withBodyLimit(s.cfg.MaxBodyBytes, s.cfg.MaxUploadBytes, gql)))
	mux.Handle("GET "+library.DownloadPath, withCORS(s.cfg.CORS, s.auth.Middleware(library.Download(store.Client, o.files, s.logger))))
	mux.Handle(export.Path, withCORS(s.cfg.CORS, s.auth.Middleware(export.Handler(store, s.logger))))
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("/email/unsubscribe", email.UnsubscribeHandler(store.Client, s.logger))
	mux.Handle("GET /calendar/", s.auth.Middleware(calendar.Handler(store.Client, s.feedViewer, s.logger)))
	mux.Handle("GET /readyz", readyz(store, s.logger))
	if s.cfg.Explorer {
		mux.Handle("GET /{$}", explorer.Page())
		mux.Handle("GET "+explorer.Prefix, explorer.Files())
	}
	clients, _ := clientip.New(s.cfg.TrustedProxies) // checked by Validate
	return withTracing(withRequest(s.logger, clients, s.metrics, withSecurityHeaders(mux)))
}

// newWebSocket returns the websocket transport for subscriptions, which
// authenticates the bearer token of the connection_init payload and keeps
// the connection's credential live (wsCredentials); origins are the
// browser origins it accepts besides the server's own.
func newWebSocket(cfg WebSocketConfig, origins []string, creds *wsCredentials, logger *slog.Logger) *wstransport.Transport {
	return wstransport.New(wstransport.Config{
		Logger:         logger,
		AllowedOrigins: origins,
		InitTimeout:    cfg.InitTimeout,
		MaxMessageSize: cfg.MaxMessageSize,
		MaxOperations:  cfg.MaxOperations,
		SendBufferSize: cfg.SendBuffer,
		// The payload carries the session token, which InitFunc has used;
		// the connection keeps the credential's id (wsCredentials).
		DropInitPayload: true,
		ShareKey:        viewerShareKey,
		Probe: func(ctx context.Context) (context.Context, func() bool) {
			ctx, probe := viewer.WithProbe(ctx)
			return ctx, probe.Read
		},
		InitFunc: creds.init,
		Recheck:  creds.recheck,
		OnClose:  creds.closed,
	})
}

// viewerShareKey names a websocket viewer for sharing subscription results
// (wstransport.Config.ShareKey): anonymous viewers alike, signed-in ones
// by user and credential (its role and scopes included), so a result that
// read its viewer is only shared among connections of one credential or
// among anonymous ones, which every resolver and privacy rule treats
// alike. A result that read nothing of its viewer (viewer.WithProbe, the
// transport's Probe) is shared with all who receive the same row, which
// the Feed loads once per audience.
func viewerShareKey(ctx context.Context) string {
	v := viewer.FromContext(ctx)
	if v == nil {
		return "anonymous"
	}
	return fmt.Sprintf("user %d session %d key %d role %s scopes %v", v.UserID, v.SessionID, v.APIKeyID, v.Role, v.Scopes)
}

// withEvents puts the event fan-out into every request's context, so that
// the Ent hooks of committed changes publish through it (see internal/live).
func withEvents(ps pubsub.PubSub, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(live.WithPubSub(r.Context(), ps)))
	})
}

// withViewerLimits raises the page size limit for credentials with the
// bulk scope (analysts' and the secretariat's export keys).
func withViewerLimits(cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := viewer.FromContext(r.Context()); v.Has(viewer.ScopeBulk) && v.ReadsAll() {
			ctx := limits.WithMaxPageSize(r.Context(), cfg.BulkPageSize)
			ctx = limits.WithMaxComplexity(ctx, cfg.MaxComplexity*cfg.BulkPageSize/cfg.MaxPageSize)
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// feedViewer is the viewer a calendar feed reads as: its user, with the
// read scope, or nil when the account is disabled.
func (s *Server) feedViewer(ctx context.Context, userID int) (*viewer.Viewer, error) {
	return s.auth.Reload(ctx, &viewer.Viewer{UserID: userID, Scopes: []viewer.Scope{viewer.ScopeRead}})
}

// Handler returns the server's HTTP handler, e.g. for httptest.NewServer.
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on the configured address, and on the metrics address
// unless it is empty, and serves until ctx is done, then shuts down
// gracefully.
func (s *Server) Run(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.cfg.Addr, err)
	}
	if s.cfg.MetricsAddr != "" {
		mln, err := lc.Listen(ctx, "tcp", s.cfg.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("listening on %s for metrics: %w", s.cfg.MetricsAddr, err)
		}
		go s.ServeMetrics(ctx, mln)
	}
	return s.Serve(ctx, ln)
}

// ServeMetrics serves the Prometheus metrics at /metrics on ln until ctx
// is done. It is apart from the API's address so that only the
// monitoring network reaches it.
func (s *Server) ServeMetrics(ctx context.Context, ln net.Listener) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	if s.cfg.Profiling {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn)}
	go func() {
		<-ctx.Done()
		_ = hs.Close()
	}()
	s.logger.Info("serving metrics", "addr", ln.Addr().String(), "path", "/metrics")
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		s.logger.Error("serving metrics", "err", err)
	}
}

// Serve serves on ln until ctx is done, then stops accepting connections
// and waits up to the shutdown timeout for running requests.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Longer than a request may run, so the timeout error gets out.
		// Websocket upgrades are unaffected: gorilla/websocket clears the
		// connection deadlines when it takes the connection over.
		WriteTimeout:   s.cfg.RequestTimeout + 10*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 1 << 20,
		ErrorLog:       slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ConnContext:    withHeldConn,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(heldListener{ln}) }()
	s.logger.Info("serving", "addr", ln.Addr().String(), "explorer", s.cfg.Explorer, "introspection", s.cfg.Introspection)
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	s.logger.Info("shutting down", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	go func() {
		// http.Server.Shutdown does not track upgraded connections: close
		// the websockets with 1001 (going away) alongside.
		if err := s.ws.Shutdown(sctx); err != nil {
			s.logger.Warn("closing websockets", "err", err)
		}
	}()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.logger.Info("stopped")
	return nil
}
