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
	"sync/atomic"
)

// Signal is the transport's side: the function to call when a value is
// ready, and whether the resolver claimed it.
type Signal struct {
	notify  func()
	claimed atomic.Bool
	ctx     context.Context // the claiming resolver's
}

type contextKey struct{}

// NewContext returns ctx carrying a Signal whose announcements call notify.
func NewContext(ctx context.Context, notify func()) (context.Context, *Signal) {
	s := &Signal{notify: notify}
	return context.WithValue(ctx, contextKey{}, s), s
}

// Claimed reports whether a resolver claimed the signal: it then announces
// every value and the channel's close.
func (s *Signal) Claimed() bool { return s.claimed.Load() }

// Context returns the context the resolver claimed the signal in (nil if
// none did). A transport reads the values in it, so that each result is
// marshalled within its subscription field's context, as a query's field
// is: gqlgen passes the field context to the resolver only, and without
// it every lookup of the field context while marshalling walks the whole
// context chain of the connection, and error paths lack the field's name.
func (s *Signal) Context() context.Context {
	if !s.Claimed() {
		return nil
	}
	return s.ctx
}

// Claim returns the function a resolver calls after each value it sends on
// its channel and after closing it, and commits it to doing so; it returns
// nil when ctx's transport offers no signal or another resolver claimed it
// (then the resolver just sends). Call it only once the resolver is sure to
// return the channel without an error.
func Claim(ctx context.Context) func() {
	s, _ := ctx.Value(contextKey{}).(*Signal)
	if s == nil || !s.claimed.CompareAndSwap(false, true) {
		return nil
	}
	s.ctx = ctx // read by the transport once the resolver has returned
	return s.notify
}
