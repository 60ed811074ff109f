package live

import (
	"context"
	"sync"

	"github.com/bridgesoftrust/hub/internal/readiness"
)

const (
	// subscriberBuffer is how many rows a subscription's channel holds.
	// Its reader (the transport) moves them on to the socket's own queue at
	// once; only a server too busy to run it for this many events in a
	// row overflows it.
	subscriberBuffer = 16
	// maxPending bounds what a subscriber holds back while a goroutine
	// sends for it (its replay, or rows its reader has not made room for
	// yet): a subscriber further behind is ended.
	maxPending = maxReplay
)

// subscriber is one subscription: its source, its audience and the channel
// its rows go out on. The fanout's goroutine never blocks on it: while a
// goroutine of the subscriber's own sends (sending: its replay, or rows
// that found the channel full), live events wait in pending, in order, and
// that goroutine sends them as the reader makes room; otherwise the fanout
// hands rows to out directly. A row that finds out full starts such a
// goroutine, so a reader briefly behind (e.g. when a replay that filled
// its channel ends) loses nothing; a subscriber more than maxPending
// behind is ended (overflowLocked).
//
// out is closed exactly once: by whoever ends the subscription, or, while
// a goroutine sends (sending), by that goroutine when it stops, since it
// alone sends then.
type subscriber[T any] struct {
	feed *Feed
	ctx  context.Context
	// queries is ctx without its cancellation, for the subscription's
	// queries: they are short, and each query's cancellation, hung below
	// ctx, would leave ctx with a set of children and a channel for the
	// subscription's whole life.
	queries context.Context
	src     source[T]
	aud     audience
	out     chan T
	ready   func(readiness.Value) // tells the transport that out holds a row or closed
	skip    func()                // takes the head row out of out (see readiness.Value)

	mu       sync.Mutex
	sending  bool
	wentLive bool // the replay was sent: rows can be told apart from it
	pending  []held[T]
	ended    bool
	replayed map[int]bool // ids of replayed rows, which live events repeat
}

// held is an event held back while a goroutine sends for the subscriber,
// with its row if the fanout had loaded it already.
type held[T any] struct {
	ev     event
	row    T
	loaded bool
}

// stream checks that the viewer may subscribe, subscribes to src.topic,
// then sends the replayed rows and the live ones on the returned channel
// until ctx ends or the subscription is ended (a slow consumer, or the
// PubSub closing); then it closes the channel.
func stream[T any](ctx context.Context, f *Feed, src source[T]) (<-chan T, error) {
	s := &subscriber[T]{
		feed: f, ctx: ctx, queries: context.WithoutCancel(ctx), src: src, aud: audienceOf(ctx),
		out: make(chan T, subscriberBuffer), sending: true,
	}
	var (
		replayed []T
		err      error
	)
	onFreshStack(func() { replayed, err = s.start() })
	if err != nil {
		return nil, err
	}
	// A transport that drives the subscription by its readiness signal
	// says when it ends; otherwise the context's end does.
	if s.ready = readiness.Claim(ctx, s.stop); s.ready == nil {
		context.AfterFunc(ctx, s.stop)
	} else {
		s.skip = s.skipHead
	}
	if !s.liveAtOnce(len(replayed)) {
		// Sending may have to wait for the transport, which reads the
		// channel only after this resolver returns.
		go s.sendReplay(replayed)
	}
	return s.out, nil
}

// liveAtOnce lets the fanout send directly if there is nothing to replay
// and no event arrived during the start; it reports whether it did.
func (s *subscriber[T]) liveAtOnce(replayed int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if replayed > 0 || len(s.pending) > 0 {
		return false
	}
	s.sending, s.wentLive = false, true
	if s.ended {
		s.closeLocked()
	}
	return true
}

// start checks that the viewer may subscribe, fixes where the
// subscription starts, joins the topic's fanout and replays what was
// committed after the start (so that nothing committed before the join is
// lost; what both the replay and the live events carry is sent once).
func (s *subscriber[T]) start() ([]T, error) {
	ctx := s.queries
	if err := s.src.check(ctx); err != nil {
		return nil, err
	}
	if s.src.begin != nil {
		if err := s.src.begin(ctx); err != nil {
			return nil, err
		}
	}
	if err := s.feed.join(s.src.topic, s); err != nil {
		return nil, err
	}
	replayed, err := s.src.replay(ctx)
	if err != nil {
		s.feed.leave(s.src.topic, s)
		return nil, err
	}
	if len(replayed) > 0 {
		s.replayed = make(map[int]bool, len(replayed))
		for _, row := range replayed {
			s.replayed[s.src.id(row)] = true
		}
	}
	return replayed, nil
}

// receive implements receiver: it holds the event back while a goroutine
// sends for the subscriber, else sends its row, if any, without blocking;
// a row that finds the channel full is held back for a goroutine that
// waits for room.
func (s *subscriber[T]) receive(ev event, rows map[string]loaded) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ended:
	case s.sending && !s.wentLive:
		// Whether the replay carries the row is known once it is sent.
		s.holdLocked(held[T]{ev: ev})
	case s.sending:
		// Behind its reader: the row is loaded now, shared with the
		// subscriber's audience, and waits its turn.
		if row, ok := s.rowFor(ev, rows); ok {
			s.holdLocked(held[T]{row: row, loaded: true})
		}
	default:
		row, ok := s.rowFor(ev, rows)
		if !ok {
			return
		}
		select {
		case s.out <- row:
			s.notify(row)
		default:
			s.sending = true
			s.holdLocked(held[T]{row: row, loaded: true})
			go s.goLive()
		}
	}
}

// holdLocked holds h back for the sending goroutine, or ends a subscriber
// that is too far behind. s.mu is held.
func (s *subscriber[T]) holdLocked(h held[T]) {
	if len(s.pending) >= maxPending {
		s.overflowLocked()
		return
	}
	s.pending = append(s.pending, h)
}

// rowFor returns the row ev names for this subscriber, if it may see it
// and has not had it yet. rows shares loads across an audience; nil
// shares nothing.
func (s *subscriber[T]) rowFor(ev event, rows map[string]loaded) (row T, ok bool) {
	if !s.src.accept(ev) {
		return row, false
	}
	key := s.aud.name
	if s.src.private || rows == nil {
		key = ""
	}
	l, hit := rows[key]
	if key == "" || !hit {
		var err error
		l.row, l.ok, err = s.src.load(s.queries, s.aud, ev)
		if err != nil {
			s.feed.logger.ErrorContext(s.ctx, "loading a subscription's row", "topic", s.src.topic, "err", err)
			l.ok = false
		}
		if key != "" {
			rows[key] = l
		}
	}
	if !l.ok {
		return row, false
	}
	row = l.row.(T)
	return row, !s.replayed[s.src.id(row)]
}

// sendReplay sends the replayed rows, waiting for room in the channel,
// then goes live.
func (s *subscriber[T]) sendReplay(rows []T) {
	for _, row := range rows {
		if !s.sendWaiting(row) {
			break
		}
	}
	s.goLive()
}

// goLive sends the rows held back while this goroutine sent, oldest
// first and waiting for room, then lets the fanout send directly. If the
// subscription ended meanwhile, it closes the channel. A row stays in
// pending until it is sent, so that what the subscriber holds back is
// bounded by maxPending however late this goroutine runs.
func (s *subscriber[T]) goLive() {
	for {
		s.mu.Lock()
		if len(s.pending) == 0 || s.ended {
			s.sending, s.wentLive, s.pending = false, true, nil
			if s.ended {
				s.closeLocked()
			}
			s.mu.Unlock()
			return
		}
		h := s.pending[0]
		s.mu.Unlock()
		row, ok := h.row, h.loaded
		if !ok {
			row, ok = s.rowFor(h.ev, nil)
		}
		if ok && !s.sendWaiting(row) {
			s.stop() // its context ended first: so does the subscription
		}
		s.mu.Lock()
		if !s.ended {
			s.pending[0] = held[T]{} // keep no row alive in the backing array
			s.pending = s.pending[1:]
		}
		s.mu.Unlock()
	}
}

// sendWaiting sends row while this goroutine alone sends, waiting for
// room unless ctx ends first.
func (s *subscriber[T]) sendWaiting(row T) bool {
	select {
	case s.out <- row:
		s.notify(row)
		return true
	case <-s.ctx.Done():
		return false
	}
}

// stop ends the subscription when its context ends.
func (s *subscriber[T]) stop() {
	s.feed.leave(s.src.topic, s)
	s.end()
}

// end implements receiver.
func (s *subscriber[T]) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endLocked()
}

// endLocked marks the subscription ended and closes the channel unless a
// goroutine sends for the subscriber (it then closes it). s.mu is held.
func (s *subscriber[T]) endLocked() {
	if s.ended {
		return
	}
	s.ended = true
	s.pending = nil
	if !s.sending {
		s.closeLocked()
	}
}

// closeLocked closes the channel and tells the transport. s.mu is held.
func (s *subscriber[T]) closeLocked() {
	close(s.out)
	if s.ready != nil {
		s.ready(readiness.Value{})
	}
}

// overflowLocked ends a subscription whose consumer fell too far behind
// (more than maxPending rows beyond its channel),
// rather than hold up the topic's other subscribers. The client sees the
// subscription complete and resubscribes with its last cursor. s.mu is
// held.
func (s *subscriber[T]) overflowLocked() {
	s.feed.logger.WarnContext(s.ctx, "subscription ended: its client fell behind", "topic", s.src.topic)
	s.endLocked()
	go s.feed.leave(s.src.topic, s)
}

// notify tells the transport, if it asked (see package readiness), that
// the channel holds one more row. Rows are pointers, loaded once per
// audience and event and handed to all of the audience's subscribers, so
// the row is the value's key.
func (s *subscriber[T]) notify(row T) {
	if s.ready != nil {
		s.ready(readiness.Value{Key: row, Skip: s.skip})
	}
}

// skipHead takes the oldest row out of the channel unread: the transport
// reuses the result of another subscription for it.
func (s *subscriber[T]) skipHead() {
	select {
	case <-s.out:
	default:
	}
}

// onFreshStack runs fn on a short-lived goroutine and waits for it; a
// panic in fn is raised again in the caller (where gqlgen recovers it).
// The queries that start a subscription grow the stack of the goroutine
// that runs them; with a transport that does not take readiness signals,
// the resolver's goroutine lives as long as the subscription, and an idle
// goroutine's stack only shrinks while it uses less than a quarter of it.
func onFreshStack(fn func()) {
	var panicked any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		fn()
	}()
	<-done
	if panicked != nil {
		panic(panicked)
	}
}
