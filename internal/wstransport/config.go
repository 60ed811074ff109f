package wstransport

import (
	"context"
	"log/slog"
	"time"
)

// Defaults applied by New to zero-valued Config fields.
const (
	DefaultInitTimeout     = 10 * time.Second
	DefaultMaxMessageSize  = 64 << 10
	DefaultMaxOperations   = 100
	DefaultWriteTimeout    = 10 * time.Second
	DefaultSendBufferSize  = 256
	DefaultPingInterval    = 15 * time.Second
	DefaultPongTimeout     = 10 * time.Second
	DefaultReadBufferSize  = 256
	DefaultWriteBufferSize = 4096
)

// InitFunc checks a connection_init payload. It returns the context the
// connection's operations run in (derived from ctx, e.g. with the viewer
// added), an optional payload for the connection_ack message, and an error to
// refuse the connection (closed with 4403 and the error's message).
type InitFunc func(ctx context.Context, payload InitPayload) (context.Context, *InitPayload, error)

// CloseFunc is called once when a connection has closed, with the close code
// that ended it (sent by the server, or received from the client; 1006 when
// the connection was lost without a close frame) and its reason.
type CloseFunc func(ctx context.Context, code int, reason string)

// Config configures a Transport. Zero values take the defaults noted. A
// negative InitTimeout, PingInterval, MaxOperations or MaxMessageSize turns
// that check off (not advisable in production); other negative values take
// the default.
type Config struct {
	// InitFunc authenticates connection_init. Nil accepts every connection.
	InitFunc InitFunc
	// Recheck, if set, checks the connection's credentials again before
	// each operation starts, given the context InitFunc returned (see
	// credentials.go). An error refuses the operation with an error
	// message (extensions.code UNAUTHENTICATED, unless the error is a
	// *gqlerror.Error) and closes the connection with 4403 and the
	// error's message; an error wrapping ErrUnchecked refuses the
	// operation (UNAVAILABLE) and keeps the connection.
	Recheck func(ctx context.Context) error
	// OnClose, if set, is called when a connection has closed.
	OnClose CloseFunc
	// Logger receives connect and disconnect records. Default slog.Default().
	Logger *slog.Logger

	// AllowedOrigins lists the browser origins (scheme://host[:port],
	// compared case-insensitively) allowed besides the request's own
	// origin; "*" allows any. Requests without an Origin header are allowed.
	AllowedOrigins []string

	// InitTimeout is how long a client has to send connection_init before
	// the socket is closed with 4408. Default 10 s.
	InitTimeout time.Duration
	// MaxMessageSize is the largest message read; larger closes with 1009.
	// Default 64 KiB.
	MaxMessageSize int64
	// MaxOperations bounds the operations running at once on a connection.
	// Default 100.
	MaxOperations int
	// WriteTimeout bounds one write to the socket. Default 10 s.
	WriteTimeout time.Duration
	// SendBufferSize is how many messages may wait for the writer before the
	// connection is closed as a slow consumer (1013). Default 256.
	SendBufferSize int
	// PingInterval is the interval of server pings. Default 15 s.
	PingInterval time.Duration
	// PongTimeout is how long past a ping interval a connection may stay
	// silent before it is considered dead. Default 10 s.
	PongTimeout time.Duration
	// ProtocolPing also sends graphql-transport-ws ping messages (besides
	// WebSocket ping frames), which graphql-ws clients answer with pong.
	ProtocolPing bool

	// DrainWorkers bounds the goroutines that read announced subscription
	// values (see package readiness). Default four per CPU.
	DrainWorkers int

	// ShareKey, if set, names the viewer of a connection's operations for
	// sharing subscription results (see shared.go): subscriptions with
	// equal keys that run the same operation get one execution's result
	// for a value that several of them receive. It must return equal keys
	// only for contexts that every resolver treats alike (e.g. the same
	// user and credential, or anonymous); "" shares nothing.
	ShareKey func(ctx context.Context) string
	// Probe, if set with ShareKey, returns ctx in which what an execution
	// reads of its viewer is recorded, and a function that reports whether
	// it read anything. A result that read nothing of its viewer is shared
	// with every subscription of the same operation that receives the same
	// value, whatever its share key.
	Probe func(ctx context.Context) (context.Context, func() bool)

	// DropInitPayload keeps operations from seeing the connection_init
	// payload (GetInitPayload returns an empty one): once InitFunc has taken
	// what it needs, e.g. the credentials, the connection need not keep the
	// payload, nor the secrets in it, for its whole life.
	DropInitPayload bool

	// ReadBufferSize is the size of a connection's read buffer, held for the
	// connection's life. Default 256 bytes: clients send little, and
	// longer messages are read in several pieces.
	ReadBufferSize int
	// WriteBufferSize is the size of gorilla's pooled write buffers, held
	// only while gorilla writes a frame itself (the close after a protocol
	// error); the transport frames and writes everything else. Default 4 KiB.
	WriteBufferSize int
}

// withDefaults returns c with defaults for its zero fields.
func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.InitTimeout = orDefault(c.InitTimeout, DefaultInitTimeout)
	c.WriteTimeout = orDefault(c.WriteTimeout, DefaultWriteTimeout)
	c.PingInterval = orDefault(c.PingInterval, DefaultPingInterval)
	c.PongTimeout = orDefault(c.PongTimeout, DefaultPongTimeout)
	c.MaxMessageSize = orDefault(c.MaxMessageSize, DefaultMaxMessageSize)
	c.MaxOperations = orDefault(c.MaxOperations, DefaultMaxOperations)
	c.SendBufferSize = orDefault(c.SendBufferSize, DefaultSendBufferSize)
	c.ReadBufferSize = orDefault(c.ReadBufferSize, DefaultReadBufferSize)
	c.WriteBufferSize = orDefault(c.WriteBufferSize, DefaultWriteBufferSize)
	if c.SendBufferSize < 0 {
		c.SendBufferSize = DefaultSendBufferSize
	}
	if c.WriteTimeout < 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.PongTimeout < 0 {
		c.PongTimeout = DefaultPongTimeout
	}
	if c.ReadBufferSize < 0 || c.WriteBufferSize < 0 {
		c.ReadBufferSize, c.WriteBufferSize = DefaultReadBufferSize, DefaultWriteBufferSize
	}
	return c
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}
