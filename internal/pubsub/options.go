package pubsub

import (
	"log/slog"
	"time"
)

// Defaults of the options.
const (
	// DefaultBufferSize is how many events a subscriber may fall behind
	// before it is dropped.
	DefaultBufferSize = 32
	// DefaultChannel is the PostgreSQL NOTIFY channel.
	DefaultChannel = "hub_events"
	// DefaultMinReconnect and DefaultMaxReconnect bound the listener's
	// reconnection backoff, which doubles after each failed attempt.
	DefaultMinReconnect = 100 * time.Millisecond
	// DefaultMaxReconnect is the longest wait between reconnection attempts.
	DefaultMaxReconnect = 10 * time.Second
	// DefaultPingInterval is how often an idle listener checks its
	// connection, to notice one that died silently.
	DefaultPingInterval = time.Minute
)

// Option configures a Broker or a Postgres.
type Option func(*options)

type options struct {
	logger       *slog.Logger
	bufferSize   int
	channel      string
	minReconnect time.Duration
	maxReconnect time.Duration
	pingInterval time.Duration
	onReconnect  func()
}

func newOptions(opts []Option) options {
	o := options{
		logger:       slog.Default(),
		bufferSize:   DefaultBufferSize,
		channel:      DefaultChannel,
		minReconnect: DefaultMinReconnect,
		maxReconnect: DefaultMaxReconnect,
		pingInterval: DefaultPingInterval,
	}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}

// WithBufferSize sets how many events each subscriber may have pending
// before it is dropped (default DefaultBufferSize; at least 1).
func WithBufferSize(n int) Option {
	return func(o *options) { o.bufferSize = max(n, 1) }
}

// WithChannel sets the PostgreSQL NOTIFY channel (default DefaultChannel).
// Every process of one Hub must use the same channel.
func WithChannel(name string) Option {
	return func(o *options) { o.channel = name }
}

// WithReconnect sets the PostgreSQL listener's reconnection backoff: the
// first retry waits minWait, each further one twice as long, up to maxWait.
func WithReconnect(minWait, maxWait time.Duration) Option {
	return func(o *options) {
		o.minReconnect = minWait
		o.maxReconnect = max(minWait, maxWait)
	}
}

// WithPingInterval sets how often the PostgreSQL listener pings its
// connection (default DefaultPingInterval).
func WithPingInterval(d time.Duration) Option {
	return func(o *options) { o.pingInterval = d }
}

// WithReconnectHook calls fn each time the PostgreSQL listener has
// reconnected after losing its connection (e.g. to count reconnects in
// metrics); events published meanwhile were lost to this process.
func WithReconnectHook(fn func()) Option {
	return func(o *options) { o.onReconnect = fn }
}
