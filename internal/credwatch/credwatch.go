// Package credwatch keeps the credentials of open websocket connections
// live: a connection follows its session or API key for its whole life,
// and is closed (with 4403) as soon as they no longer hold or no longer
// stand for the same access.
//
// A Watcher indexes the connections by credential (a session or key id,
// never the token) and user. It checks a credential again, in one batch
// per round (auth.Service.Recheck):
//
//   - when an event on credevents.Topic says the user's credentials
//     changed (sessions ended, password, disabled flag or role changed,
//     memberships or API keys changed), published after commit by any
//     process on the database (PostgreSQL NOTIFY across replicas and from
//     the command line);
//   - when the credential expires, on one timer per credential (a
//     session's sliding expiry may have moved: the check decides);
//   - every Interval, for all of them: a backstop for changes whose event
//     cannot arrive (on SQLite, the command line runs in another process)
//     or was lost (PostgreSQL's listener reconnecting).
//
// A connection whose credential no longer holds is closed with 4403 and
// the reason; one whose viewer changed (another role, membership or scope)
// is closed too, with "credentials changed": the client connects again
// and is served as who it now is, every subscription evaluated afresh.
// Operations are covered apart from all this: the transport re-checks the
// credential before each one starts (wstransport.Config.Recheck).
package credwatch

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/credevents"
	"github.com/bridgesoftrust/hub/internal/pubsub"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// CloseForbidden is the close code of a connection whose credentials ended
// or changed (graphql-transport-ws's Forbidden).
const CloseForbidden = 4403

// ReasonChanged is the close reason of a connection whose credential still
// holds but stands for other access now.
const ReasonChanged = "credentials changed; connect again"

// DefaultInterval is how often every watched credential is checked.
const DefaultInterval = 30 * time.Second

// Conn is a connection that can be closed (wstransport.Conn).
type Conn interface {
	Close(code int, reason string)
}

// Checker checks credentials in a batch (auth.Service).
type Checker interface {
	Recheck(ctx context.Context, creds []auth.Credential) (map[auth.Credential]auth.Check, error)
}

// Watcher follows the credentials of open connections. Create it with New.
type Watcher struct {
	check    Checker
	logger   *slog.Logger
	interval time.Duration

	mu    sync.Mutex
	creds map[auth.Credential]*entry
	users map[int][]*entry
	// seq numbers the events received; changed[user] is the number of the
	// user's latest one, kept from the sweep before last (floor) on, so
	// that Watch can tell whether an event came while a connection was
	// being authenticated (see Mark).
	seq     uint64
	floor   uint64
	changed map[int]uint64
}

// entry is one watched credential and its connections, each with the
// viewer it was authenticated as.
type entry struct {
	cred    auth.Credential
	conns   map[Conn]*viewer.Viewer
	expires time.Time
	timer   *time.Timer // at expires; nil when it never expires
}

// New returns a Watcher that checks credentials with check, all of them
// every interval (DefaultInterval if not positive).
func New(check Checker, logger *slog.Logger, interval time.Duration) *Watcher {
	if interval <= 0 {
		interval = DefaultInterval
	}
	return &Watcher{
		check: check, logger: logger, interval: interval,
		creds: map[auth.Credential]*entry{}, users: map[int][]*entry{}, changed: map[int]uint64{},
	}
}

// Mark returns a mark to pass to Watch for a connection about to be
// authenticated: an event that arrives between the two makes Watch check
// the credential again, since the authentication may have read the store
// before the change.
func (w *Watcher) Mark() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seq
}

// Watch starts following the credential of v (a signed-in viewer) for
// conn, authenticated after mark was taken.
func (w *Watcher) Watch(conn Conn, v *viewer.Viewer, mark uint64) {
	cred := auth.CredentialOf(v)
	w.mu.Lock()
	e := w.creds[cred]
	if e == nil {
		e = &entry{cred: cred, conns: map[Conn]*viewer.Viewer{}}
		w.creds[cred] = e
		w.users[cred.UserID] = append(w.users[cred.UserID], e)
		w.scheduleLocked(e, v.Expires)
	}
	e.conns[conn] = v
	missed := mark < w.floor || w.changed[cred.UserID] > mark
	w.mu.Unlock()
	if missed {
		go w.recheck(context.Background(), []auth.Credential{cred})
	}
}

// Forget stops following conn, which was watched as v.
func (w *Watcher) Forget(conn Conn, v *viewer.Viewer) {
	cred := auth.CredentialOf(v)
	w.mu.Lock()
	defer w.mu.Unlock()
	e := w.creds[cred]
	if e == nil {
		return
	}
	delete(e.conns, conn)
	if len(e.conns) > 0 {
		return
	}
	if e.timer != nil {
		e.timer.Stop()
	}
	delete(w.creds, cred)
	list := w.users[cred.UserID]
	for i, x := range list {
		if x == e {
			list[i] = list[len(list)-1]
			list = list[:len(list)-1]
			break
		}
	}
	if len(list) == 0 {
		delete(w.users, cred.UserID)
	} else {
		w.users[cred.UserID] = list
	}
}

// Watched returns the number of credentials and connections watched.
func (w *Watcher) Watched() (creds, conns int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.creds {
		conns += len(e.conns)
	}
	return len(w.creds), conns
}

// scheduleLocked sets e's expiry and its timer, which checks the
// credential when it is due. w.mu is held.
func (w *Watcher) scheduleLocked(e *entry, expires time.Time) {
	if expires.Equal(e.expires) && (e.timer != nil || expires.IsZero()) {
		return
	}
	e.expires = expires
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	if expires.IsZero() {
		return
	}
	cred := e.cred
	e.timer = time.AfterFunc(time.Until(expires), func() {
		w.recheck(context.Background(), []auth.Credential{cred})
	})
}

// Run follows the credential events of ps and checks every credential
// each interval, until ctx ends or ps is closed. A subscription that ends
// (the PubSub dropped it) is renewed, with a check of every credential,
// as events may have been missed.
func (w *Watcher) Run(ctx context.Context, ps pubsub.PubSub) {
	tick := time.NewTicker(w.interval)
	defer tick.Stop()
	for ctx.Err() == nil {
		sub, err := ps.Subscribe(ctx, credevents.Topic)
		if errors.Is(err, pubsub.ErrClosed) {
			return
		}
		if err != nil {
			w.logger.Warn("credentials: subscribing to changes", "err", err)
			sub = nil
		}
		w.follow(ctx, sub, tick.C)
		if ctx.Err() == nil {
			w.sweep(ctx)
		}
	}
}

// follow handles the events of sub and the ticks until ctx ends or sub
// does; without sub it waits for one tick.
func (w *Watcher) follow(ctx context.Context, sub *pubsub.Subscription, tick <-chan time.Time) {
	var events <-chan pubsub.Event
	if sub != nil {
		events = sub.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			w.sweep(ctx)
			if sub == nil {
				return
			}
		case ev, ok := <-events:
			if !ok {
				w.logger.Warn("credentials: change events ended; checking every connection", "err", sub.Err())
				return
			}
			w.changedUser(ctx, ev)
		}
	}
}

// changedUser checks the credentials of the user an event names.
func (w *Watcher) changedUser(ctx context.Context, ev pubsub.Event) {
	id, err := credevents.Decode(ev.Payload)
	if err != nil {
		w.logger.Warn("credentials: ignoring an event", "err", err)
		return
	}
	w.mu.Lock()
	w.seq++
	w.changed[id] = w.seq
	creds := make([]auth.Credential, 0, len(w.users[id]))
	for _, e := range w.users[id] {
		creds = append(creds, e.cred)
	}
	w.mu.Unlock()
	if len(creds) > 0 {
		w.recheck(ctx, creds)
	}
}

// sweep checks every watched credential, and forgets events older than
// the previous sweep (connections authenticated before it are watched).
func (w *Watcher) sweep(ctx context.Context) {
	w.mu.Lock()
	creds := make([]auth.Credential, 0, len(w.creds))
	for c := range w.creds {
		creds = append(creds, c)
	}
	for id, seq := range w.changed {
		if seq <= w.floor {
			delete(w.changed, id)
		}
	}
	w.floor = w.seq
	w.mu.Unlock()
	if len(creds) > 0 {
		w.recheck(ctx, creds)
	}
}

// recheck checks creds and closes the connections whose credential no
// longer holds or whose viewer changed; the others stay, their expiry
// timers moved to the credential's current expiry. A store failure is
// logged: the next event or sweep checks again.
func (w *Watcher) recheck(ctx context.Context, creds []auth.Credential) {
	checks, err := w.check.Recheck(ctx, creds)
	if err != nil {
		w.logger.Warn("credentials: checking open connections", "credentials", len(creds), "err", err)
		return
	}
	type closing struct {
		conn   Conn
		reason string
	}
	var ends []closing
	w.mu.Lock()
	for _, cred := range creds {
		e, check := w.creds[cred], checks[cred]
		if e == nil {
			continue
		}
		for conn, v := range e.conns {
			switch {
			case check.Err != nil:
				ends = append(ends, closing{conn, check.Err.Error()})
			case !v.SameAccess(check.Viewer):
				ends = append(ends, closing{conn, ReasonChanged})
			}
		}
		if check.Err == nil {
			w.scheduleLocked(e, check.Viewer.Expires)
		}
	}
	w.mu.Unlock()
	for _, end := range ends {
		end.conn.Close(CloseForbidden, end.reason)
	}
	if len(ends) > 0 {
		w.logger.Info("credentials: closed connections", "connections", len(ends))
	}
}
