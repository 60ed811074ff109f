package pubsub

import (
	"context"
	"log/slog"
	"sync"
)

// Broker is the in-process PubSub: it delivers each event to every
// subscriber of its topic in this process.
//
// It is hand-written rather than taken from a library because what it must
// do is small and specific (about a hundred lines of channel fan-out): a
// bounded buffer per subscriber, Publish that never waits, slow subscribers
// dropped with a reason, contexts ending subscriptions without a goroutine
// each. General-purpose messaging libraries (e.g. watermill's gochannel)
// are built around acknowledged delivery rather than this drop-the-laggard
// fan-out, and would add a dependency for little code.
//
// Publish holds a read lock while it sends, without blocking, to the
// topic's subscribers; subscribing and unsubscribing take the write lock.
// Closing a channel happens only under the write lock, so no send ever
// races a close. A Subscription costs one small struct, its channel buffer
// and, when its context can end, a context.AfterFunc registration: no
// goroutine.
type Broker struct {
	log        *slog.Logger
	bufferSize int

	mu     sync.RWMutex
	topics map[string]*topicSubs
	closed bool
}

// topicSubs holds one topic's subscribers; each knows its index in subs,
// so removal is O(1).
type topicSubs struct {
	name string
	subs []*Subscription
}

// Subscription receives the events of one topic on C.
type Subscription struct {
	// C receives the topic's events. It is closed when the subscription
	// ends; Err then says why.
	C <-chan Event

	c chan Event
	b *Broker
	// The fields below are guarded by b.mu.
	t    *topicSubs // nil once ended
	idx  int
	err  error
	stop func() bool // deregisters the context.AfterFunc
}

// NewBroker returns an empty in-process broker. It honours WithBufferSize
// and WithLogger.
func NewBroker(opts ...Option) *Broker {
	o := newOptions(opts)
	return &Broker{log: o.logger, bufferSize: o.bufferSize, topics: make(map[string]*topicSubs)}
}

// Publish delivers ev to the topic's current subscribers. It never blocks:
// a subscriber whose buffer is full is dropped with ErrSlowConsumer.
// Events published by one goroutine reach each subscriber in order.
func (b *Broker) Publish(_ context.Context, ev Event) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	return b.deliver(ev)
}

// deliver fans ev out to its topic's subscribers, then drops those that
// had no room for it.
func (b *Broker) deliver(ev Event) error {
	var slow []*Subscription
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return ErrClosed
	}
	if t := b.topics[ev.Topic]; t != nil {
		for _, s := range t.subs {
			select {
			case s.c <- ev:
			default:
				slow = append(slow, s)
			}
		}
	}
	b.mu.RUnlock()
	if len(slow) > 0 {
		b.drop(ev.Topic, slow)
	}
	return nil
}

// drop ends the subscriptions that could not take an event.
func (b *Broker) drop(topic string, slow []*Subscription) {
	b.mu.Lock()
	for _, s := range slow {
		b.endLocked(s, ErrSlowConsumer)
	}
	b.mu.Unlock()
	b.log.Debug("pubsub: dropped slow subscribers", "topic", topic, "count", len(slow))
}

// Subscribe returns a subscription to topic that ends when ctx ends (Err
// then returns the context's cause), when it or the broker is closed, or
// when it falls behind.
func (b *Broker) Subscribe(ctx context.Context, topic string) (*Subscription, error) {
	if err := validTopic(topic); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := make(chan Event, b.bufferSize)
	s := &Subscription{C: c, c: c, b: b}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	t := b.topics[topic]
	if t == nil {
		t = &topicSubs{name: topic}
		b.topics[topic] = t
	}
	s.t, s.idx = t, len(t.subs)
	t.subs = append(t.subs, s)
	s.stop = watch(ctx, s)
	return s, nil
}

// watch arranges for s to end when ctx does and returns the function that
// undoes this. AfterFunc runs its function in a new goroutine, never in
// the caller, so Subscribe may call watch under the lock.
func watch(ctx context.Context, s *Subscription) (stop func() bool) {
	if ctx.Done() == nil { // never ends: spare the registration
		return func() bool { return false }
	}
	return context.AfterFunc(ctx, func() { s.end(context.Cause(ctx)) })
}

// Close ends every subscription with ErrClosed and refuses further use.
func (b *Broker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	for _, t := range b.topics {
		for len(t.subs) > 0 {
			b.endLocked(t.subs[len(t.subs)-1], ErrClosed)
		}
	}
	return nil
}

// endLocked removes s from its topic and closes its channel with reason
// err, unless it has ended already. b.mu must be held for writing.
func (b *Broker) endLocked(s *Subscription, err error) {
	t := s.t
	if t == nil {
		return
	}
	last := len(t.subs) - 1
	t.subs[s.idx] = t.subs[last]
	t.subs[s.idx].idx = s.idx
	t.subs[last] = nil
	t.subs = t.subs[:last]
	if last == 0 {
		delete(b.topics, t.name)
	}
	s.t, s.err = nil, err
	close(s.c)
	s.stop()
}

// end ends s with reason err.
func (s *Subscription) end(err error) {
	s.b.mu.Lock()
	s.b.endLocked(s, err)
	s.b.mu.Unlock()
}

// Close ends the subscription; Err then returns ErrClosed. It is
// idempotent and safe to call concurrently with deliveries.
func (s *Subscription) Close() { s.end(ErrClosed) }

// Err returns nil while the subscription is active, and afterwards why it
// ended: ErrSlowConsumer, ErrClosed, or the cause of its context's end
// (e.g. context.Canceled).
func (s *Subscription) Err() error {
	s.b.mu.RLock()
	defer s.b.mu.RUnlock()
	return s.err
}
