package pubsub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
)

// Execer runs a statement: *sql.DB, *sql.Tx, *sql.Conn, *ent.Client and
// *ent.Tx all are.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// TxPublisher is a PubSub that can publish inside a database transaction,
// so that the event is delivered if and only if the transaction commits.
// PublishAfterCommit uses it when the PubSub has it.
type TxPublisher interface {
	PubSub
	// PublishTx queues ev in the transaction ex belongs to.
	PublishTx(ctx context.Context, ex Execer, ev Event) error
}

// Postgres is the PubSub for several Hub processes on one PostgreSQL
// database. Publish sends the encoded event with pg_notify on one channel;
// each process keeps one connection that LISTENs on it and hands every
// notification to its in-process Broker, which fans it out to the local
// subscribers. A process receives its own events that way too, so local
// and remote subscribers see the same events in the same (commit) order.
//
// The listening connection reconnects by itself after losing the database
// (with the backoff of WithReconnect) and subscriptions survive, but
// events published while it was down are lost to this process: clients
// catch up through their `after` cursors. State changes are logged.
type Postgres struct {
	db       *sql.DB
	channel  string
	broker   *Broker
	listener *pq.Listener
	log      *slog.Logger
	ping     time.Duration
	// onReconnect, if set, learns of each reconnection (WithReconnectHook).
	onReconnect func()

	done    chan struct{} // closed when run returns
	pinging atomic.Bool
	pings   sync.WaitGroup
	closed  atomic.Bool
	once    sync.Once
}

var _ TxPublisher = (*Postgres)(nil)

// channelName is what WithChannel accepts: a plain lower-case identifier.
var channelName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// notifySQL publishes an encoded event on a channel.
const notifySQL = "SELECT pg_notify($1, $2)"

// NewPostgres starts listening on the database that dsn names (the one db
// writes to) and returns the PubSub. It waits until the listener is
// connected or ctx ends. db is used to publish; the caller keeps owning it.
func NewPostgres(ctx context.Context, dsn string, db *sql.DB, opts ...Option) (*Postgres, error) {
	o := newOptions(opts)
	if !channelName.MatchString(o.channel) {
		return nil, fmt.Errorf("pubsub: channel %q: want a lower-case identifier", o.channel)
	}
	p := &Postgres{
		db: db, channel: o.channel, log: o.logger, ping: o.pingInterval, onReconnect: o.onReconnect,
		broker: NewBroker(opts...),
		done:   make(chan struct{}),
	}
	p.listener = pq.NewListener(dsn, o.minReconnect, o.maxReconnect, p.logEvent)
	go p.run()
	if err := p.listen(ctx); err != nil {
		_ = p.Close()
		return nil, err
	}
	return p, nil
}

// listen starts listening on the channel, giving up when ctx ends (pq's
// Listen waits for as long as there is no connection).
func (p *Postgres) listen(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- p.listener.Listen(p.channel) }()
	select {
	case err := <-errc:
		if err != nil {
			return fmt.Errorf("pubsub: listening on %q: %w", p.channel, err)
		}
		return nil
	case <-ctx.Done():
		_ = p.listener.Close() // makes Listen return
		<-errc
		return fmt.Errorf("pubsub: connecting the listener: %w", context.Cause(ctx))
	}
}

// run hands notifications to the broker until the listener is closed, and
// pings the connection when it has been idle for the ping interval.
func (p *Postgres) run() {
	defer close(p.done)
	idle := time.NewTimer(p.ping)
	defer idle.Stop()
	for {
		select {
		case n, ok := <-p.listener.Notify:
			if !ok {
				return
			}
			p.handle(n)
			idle.Reset(p.ping)
		case <-idle.C:
			p.pingAsync()
			idle.Reset(p.ping)
		}
	}
}

// handle delivers one notification to the local subscribers. A nil
// notification follows a reconnection.
func (p *Postgres) handle(n *pq.Notification) {
	if n == nil || n.Channel != p.channel { // nil: reconnected, see logEvent
		return
	}
	ev, err := decodeEvent(n.Extra)
	if err != nil {
		p.log.Error("pubsub: ignoring a malformed notification", "channel", p.channel, "sender_pid", n.BePid, "err", err)
		return
	}
	_ = p.broker.deliver(ev) // fails only once closed
}

// pingAsync checks the connection in another goroutine: pq's Ping waits
// for the server's reply, which must not stop run from draining
// notifications (pq delivers both on one connection).
func (p *Postgres) pingAsync() {
	if !p.pinging.CompareAndSwap(false, true) {
		return
	}
	p.pings.Go(func() {
		defer p.pinging.Store(false)
		if err := p.listener.Ping(); err != nil && !p.closed.Load() {
			p.log.Warn("pubsub: listener ping failed", "channel", p.channel, "err", err)
		}
	})
}

// logEvent logs the listener's connection state changes.
func (p *Postgres) logEvent(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventConnected:
		p.log.Info("pubsub: listener connected", "channel", p.channel)
	case pq.ListenerEventReconnected:
		if p.onReconnect != nil {
			p.onReconnect()
		}
		p.log.Warn("pubsub: listener reconnected; events published while it was down are lost to this process",
			"channel", p.channel)
	case pq.ListenerEventDisconnected:
		p.log.Warn("pubsub: listener disconnected; reconnecting", "channel", p.channel, "err", err)
	case pq.ListenerEventConnectionAttemptFailed:
		p.log.Warn("pubsub: listener connection attempt failed", "channel", p.channel, "err", err)
	}
}

// Publish sends ev now, in its own statement (autocommit): for callers
// whose transaction has committed, or who have none.
func (p *Postgres) Publish(ctx context.Context, ev Event) error {
	return p.PublishTx(ctx, p.db, ev)
}

// PublishTx sends ev through ex. When ex is a transaction (a *sql.Tx, an
// *ent.Tx) PostgreSQL delivers the event when it commits, and never if it
// rolls back. Identical events queued in one transaction are delivered
// once.
func (p *Postgres) PublishTx(ctx context.Context, ex Execer, ev Event) error {
	if p.closed.Load() {
		return ErrClosed
	}
	if err := ev.Validate(); err != nil {
		return err
	}
	if _, err := ex.ExecContext(ctx, notifySQL, p.channel, string(ev.encode())); err != nil {
		return fmt.Errorf("pubsub: publishing %s: %w", ev.Topic, err)
	}
	return nil
}

// Subscribe returns a subscription to topic in this process; see
// Broker.Subscribe.
func (p *Postgres) Subscribe(ctx context.Context, topic string) (*Subscription, error) {
	return p.broker.Subscribe(ctx, topic)
}

// Close stops listening and ends every subscription with ErrClosed. It
// does not close the *sql.DB. While the database is unreachable it may
// wait for the listener's current reconnection delay (at most the maximum
// of WithReconnect) before returning.
func (p *Postgres) Close() error {
	var err error
	p.once.Do(func() {
		p.closed.Store(true)
		if cerr := p.listener.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) {
			err = fmt.Errorf("pubsub: closing the listener: %w", cerr)
		}
		<-p.done
		p.pings.Wait()
		_ = p.broker.Close()
	})
	return err
}
