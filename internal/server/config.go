// Package server is the Hub's HTTP front: GraphQL over HTTP at /graphql
// (gqlgen with explicit transports, a query cache, automatic persisted
// queries and the request limits of package limits), a GraphQL explorer at
// /, health and readiness probes, request ids, access logs and graceful
// shutdown.
package server

import (
	"errors"
	"fmt"
	"time"

	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/clientip"
	"github.com/bridgesoftrust/hub/internal/credwatch"
	"github.com/bridgesoftrust/hub/internal/library"
	"github.com/bridgesoftrust/hub/internal/server/limits"
)

// Config is the server's configuration. Start from DefaultConfig; every
// field has a `hub serve` flag (see cmd/hub/serve.go).
type Config struct {
	// Addr is the TCP address to listen on.
	Addr string
	// MetricsAddr is the TCP address on which Run serves the Prometheus
	// metrics at /metrics, apart from the API; empty: not served.
	MetricsAddr string
	// Profiling adds Go's profiles (net/http/pprof) at /debug/pprof/ on
	// the metrics address; it needs MetricsAddr.
	Profiling bool
	// MaxBodyBytes bounds the request body; larger requests get HTTP 413.
	MaxBodyBytes int64
	// MaxUploadBytes bounds a multipart request (GraphQL multipart
	// request specification: file uploads) and each file in it.
	MaxUploadBytes int64
	// MaxTokens bounds the lexical tokens of a query.
	MaxTokens int
	// MaxSelections bounds the fields and fragments written in a query.
	MaxSelections int
	// MaxDepth bounds how deep a query nests fields.
	MaxDepth int
	// MaxAliases bounds the aliases in a query.
	MaxAliases int
	// MaxComplexity bounds a query's estimated cost (fields, multiplied by
	// the page sizes of the lists they are in).
	MaxComplexity int
	// MaxPageSize bounds first, last and the number of ids in nodes(ids:).
	MaxPageSize int
	// MaxListItems bounds the items of any list argument (e.g. idIn).
	MaxListItems int
	// MaxInputValues bounds the values in all arguments of a request.
	MaxInputValues int
	// MaxStringBytes bounds every string argument, in bytes.
	MaxStringBytes int
	// RequestTimeout bounds the execution of one query or mutation.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds the wait for running requests on shutdown.
	ShutdownTimeout time.Duration
	// QueryCacheSize is how many parsed queries the LRU cache keeps.
	QueryCacheSize int
	// APQCacheSize is how many automatic persisted queries are kept.
	APQCacheSize int
	// Introspection enables schema introspection (__schema, __type).
	Introspection bool
	// Explorer serves the GraphiQL explorer at /.
	Explorer bool
	// BulkPageSize is the page size limit for API keys with the bulk scope.
	BulkPageSize int
	// Auth configures sessions and the sign-in throttle.
	Auth auth.Config
	// WebSocket configures subscriptions over websocket on /graphql.
	WebSocket WebSocketConfig
	// RateLimit is each client's budget of query cost.
	RateLimit RateLimitConfig
	// CORS lets pages of other origins call the API. Its origins may also
	// open websockets unless WebSocket.AllowedOrigins lists others.
	CORS CORSConfig
	// TrustedProxies are the addresses and CIDR ranges of the reverse
	// proxies in front of the Hub. A request from one of them is taken to
	// come from the rightmost address of its X-Forwarded-For (or
	// Forwarded) header outside these ranges; any other request from its
	// socket's address. The client address is what the sign-in throttle
	// counts, the access log and sessions record. Empty: trust no proxy.
	TrustedProxies []string
}

// WebSocketConfig is the part of the websocket transport's settings that
// operators choose; see wstransport.Config for the rest.
type WebSocketConfig struct {
	// AllowedOrigins may open websockets besides the server's own origin and
	// clients that send no Origin (non-browser clients). "*" allows any.
	AllowedOrigins []string
	// InitTimeout is how long a connection may wait before connection_init.
	InitTimeout time.Duration
	// MaxMessageSize bounds one incoming message, in bytes.
	MaxMessageSize int64
	// MaxOperations bounds the operations running at once on a connection.
	MaxOperations int
	// SendBuffer bounds the messages queued for a client; a client that
	// falls this far behind is disconnected (slow consumer).
	SendBuffer int
	// RecheckInterval is how often the credentials of every open
	// connection are checked again, besides on change events and at
	// their expiry: the longest a change that sends no event (made by the
	// command line on SQLite) takes to close the connections it ends.
	RecheckInterval time.Duration
}

// DefaultConfig returns the defaults: loopback only, 1 MiB bodies (20 MiB
// uploads), depth
// 15, 50 aliases, cost 10,000, pages of 100, lists of 1,000 items, 10,000
// argument values, strings of 100,000 bytes, 10 s per request.
func DefaultConfig() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		MetricsAddr:     "127.0.0.1:9464",
		MaxBodyBytes:    1 << 20,
		MaxUploadBytes:  library.DefaultMaxFileBytes,
		MaxTokens:       10_000,
		MaxSelections:   500,
		MaxDepth:        15,
		MaxAliases:      50,
		MaxComplexity:   25_000,
		MaxPageSize:     100,
		MaxListItems:    limits.DefaultMaxListItems,
		MaxInputValues:  limits.DefaultMaxInputValues,
		MaxStringBytes:  limits.DefaultMaxStringBytes,
		RequestTimeout:  10 * time.Second,
		ShutdownTimeout: 15 * time.Second,
		QueryCacheSize:  1000,
		APQCacheSize:    1000,
		Introspection:   true,
		Explorer:        true,
		BulkPageSize:    1000,
		Auth:            auth.DefaultConfig(),
		WebSocket: WebSocketConfig{
			InitTimeout:     10 * time.Second,
			MaxMessageSize:  64 << 10,
			MaxOperations:   100,
			SendBuffer:      256,
			RecheckInterval: credwatch.DefaultInterval,
		},
		CORS:      CORSConfig{MaxAge: 2 * time.Hour},
		RateLimit: RateLimitConfig{User: 5000, APIKey: 5000, Anonymous: 1000, Window: time.Hour},
	}
}

// Validate reports settings that cannot work: every limit, timeout and
// cache size must be positive.
func (c Config) Validate() error {
	var errs []error
	positive := func(name string, v int64) {
		if v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, not %d", name, v))
		}
	}
	positive("max body bytes", c.MaxBodyBytes)
	positive("max upload bytes", c.MaxUploadBytes)
	positive("max tokens", int64(c.MaxTokens))
	positive("max selections", int64(c.MaxSelections))
	positive("max depth", int64(c.MaxDepth))
	positive("max aliases", int64(c.MaxAliases))
	positive("max complexity", int64(c.MaxComplexity))
	positive("max page size", int64(c.MaxPageSize))
	positive("max list items", int64(c.MaxListItems))
	positive("max input values", int64(c.MaxInputValues))
	positive("max string bytes", int64(c.MaxStringBytes))
	positive("request timeout", int64(c.RequestTimeout))
	positive("shutdown timeout", int64(c.ShutdownTimeout))
	positive("query cache size", int64(c.QueryCacheSize))
	positive("APQ cache size", int64(c.APQCacheSize))
	positive("bulk page size", int64(c.BulkPageSize))
	positive("websocket init timeout", int64(c.WebSocket.InitTimeout))
	positive("websocket message size", c.WebSocket.MaxMessageSize)
	positive("websocket operations per connection", int64(c.WebSocket.MaxOperations))
	positive("websocket send buffer", int64(c.WebSocket.SendBuffer))
	positive("websocket credential re-check interval", int64(c.WebSocket.RecheckInterval))
	positive("session lifetime", int64(c.Auth.SessionTTL))
	positive("rate limit window", int64(c.RateLimit.Window))
	for name, n := range map[string]int{"user": c.RateLimit.User, "API key": c.RateLimit.APIKey, "anonymous": c.RateLimit.Anonymous} {
		if n < 0 {
			errs = append(errs, fmt.Errorf("the %s rate limit must not be negative, not %d", name, n))
		}
	}
	if c.CORS.MaxAge < 0 {
		errs = append(errs, fmt.Errorf("CORS max age must not be negative, not %s", c.CORS.MaxAge))
	}
	if c.Addr == "" {
		errs = append(errs, errors.New("listen address must not be empty"))
	}
	if _, err := clientip.New(c.TrustedProxies); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// wsOrigins returns the origins other than the Hub's own that may open
// websockets: those configured for them, else those allowed by CORS.
func (c Config) wsOrigins() []string {
	if len(c.WebSocket.AllowedOrigins) > 0 {
		return c.WebSocket.AllowedOrigins
	}
	return c.CORS.Origins
}

// limits returns the GraphQL limits of the configuration.
func (c Config) limits() limits.Limits {
	return limits.Limits{
		MaxTokens:      c.MaxTokens,
		MaxSelections:  c.MaxSelections,
		MaxDepth:       c.MaxDepth,
		MaxAliases:     c.MaxAliases,
		MaxComplexity:  c.MaxComplexity,
		MaxPageSize:    c.MaxPageSize,
		MaxListItems:   c.MaxListItems,
		MaxInputValues: c.MaxInputValues,
		MaxStringBytes: c.MaxStringBytes,
	}
}
