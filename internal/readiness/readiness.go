// Package readiness lets a subscription resolver and the transport that
// runs it agree that the resolver announces each value it sends on its
// result channel. The transport then reads the channel only when told,
// instead of keeping a goroutine blocked on it for the subscription's
// whole life: with thousands of idle subscriptions those goroutines are
// most of the memory a connection costs, and each GC scans their stacks.
//
// The transport puts a Signal in the operation's context before the
// resolver runs; a resolver that can announce its values calls Claim and,
// after that, calls the returned function once after every value it sends
// and once after closing the channel. A resolver that does not claim the
// signal is read the ordinary way, by a goroutine that waits on it. gqlgen
// offers no such hook (a subscription's response handler blocks until the
// next value), so the Hub has its own small one.
package readiness

import (
	"context"
	"sync"
)

// Value announces one value a resolver sent on its channel (or, zero, the
// channel's close).
type Value struct {
	// Key, if not nil, is the same for values that are the same for every
	// subscription that receives them (e.g. one row shared by them): a
	// transport may then reuse the result of one subscription for another
	// whose selection and viewer are the same. Keys are compared with ==.
	Key any
	// Skip takes the value out of the channel unread, for a transport that
	// reuses such a result instead of executing the selection again.
	Skip func()
}

// Signal is the transport's side of one operation: the function to call
// when a value is ready, whether a resolver claimed it, and the resolver's
// function to call when the operation ends.
type Signal struct {
	notify func(Value)

	mu      sync.Mutex
	claimed bool
	ctx     context.Context // the claiming resolver's
	onEnd   func()
	ended   bool
}

type contextKey struct{}

// NewContext returns ctx carrying a Signal whose announcements call notify.
func NewContext(ctx context.Context, notify func(Value)) (context.Context, *Signal) {
	s := &Signal{notify: notify}
	return context.WithValue(ctx, contextKey{}, s), s
}

// Claimed reports whether a resolver claimed the signal: it then announces
// every value and the channel's close.
func (s *Signal) Claimed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claimed
}

// Context returns the context the resolver claimed the signal in (nil if
// none did). A transport reads the values in it, so that each result is
// marshalled within its subscription field's context, as a query's field
// is: gqlgen passes the field context to the resolver only, and without
// it every lookup of the field context while marshalling walks the whole
// context chain of the connection, and error paths lack the field's name.
func (s *Signal) Context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

// End tells the claiming resolver, once, that the operation ended (the
// client stopped it, the connection closed, or its channel was read to the
// end). The transport calls it wherever it cancels the operation.
func (s *Signal) End() {
	s.mu.Lock()
	onEnd := s.onEnd
	first := !s.ended
	s.ended = true
	s.mu.Unlock()
	if first && onEnd != nil {
		onEnd()
	}
}

// Claim returns the function a resolver calls after each value it sends on
// its channel (with the value's Value) and after closing it (with a zero
// Value), and commits it to doing so; onEnd is
// called once when the operation ends (at once if it has ended already),
// so the resolver needs no watch on ctx. Claim returns nil when ctx's
// transport offers no signal or another resolver claimed it: the resolver
// then just sends, and watches ctx. Call it only once the resolver is sure
// to return the channel without an error.
func Claim(ctx context.Context, onEnd func()) func(Value) {
	s, _ := ctx.Value(contextKey{}).(*Signal)
	if s == nil {
		return nil
	}
	s.mu.Lock()
	if s.claimed {
		s.mu.Unlock()
		return nil
	}
	s.claimed, s.ctx, s.onEnd = true, ctx, onEnd
	ended := s.ended
	s.mu.Unlock()
	if ended && onEnd != nil {
		onEnd()
	}
	return s.notify
}
