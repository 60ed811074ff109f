package live

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bridgesoftrust/hub/internal/pubsub"
)

// receiver is a subscriber as a fanout sees it: it takes the events of its
// topic and is told when they stop for good.
type receiver interface {
	// receive handles one event; rows caches the rows loaded for this
	// event, by audience, across the topic's subscribers.
	receive(ev event, rows map[string]loaded)
	// end ends the subscription: no more events will come.
	end()
}

// loaded is a row loaded for an event and an audience: ok false when the
// audience may not see it or loading failed.
type loaded struct {
	row any
	ok  bool
}

// fanout is the Feed's one PubSub subscription to a topic, shared by the
// topic's subscribers in this process: its goroutine decodes each event
// once and hands it to every receiver in turn. Receivers never block it
// (see subscriber.receive), so one slow client delays nobody.
//
// It is hand-written because it is the Feed's own bookkeeping: which
// subscribers listen to which topic, over the PubSub interface.
type fanout struct {
	topic string
	sub   *pubsub.Subscription

	mu        sync.Mutex
	receivers map[receiver]struct{}
}

// join adds r to the fanout of topic, subscribing to the topic first if r
// is its first receiver here.
func (f *Feed) join(topic string, r receiver) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	fo := f.fanouts[topic]
	if fo == nil {
		// The subscription lives as long as the topic has receivers, not
		// as long as the first receiver's request.
		sub, err := f.ps.Subscribe(context.Background(), topic)
		if err != nil {
			return err
		}
		fo = &fanout{topic: topic, sub: sub, receivers: map[receiver]struct{}{}}
		f.fanouts[topic] = fo
		go f.dispatch(fo)
	}
	fo.mu.Lock()
	fo.receivers[r] = struct{}{}
	fo.mu.Unlock()
	return nil
}

// leave removes r from the fanout of topic; the last receiver to leave
// ends the PubSub subscription.
func (f *Feed) leave(topic string, r receiver) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fo := f.fanouts[topic]
	if fo == nil {
		return
	}
	fo.mu.Lock()
	delete(fo.receivers, r)
	empty := len(fo.receivers) == 0
	fo.mu.Unlock()
	if empty {
		delete(f.fanouts, topic)
		fo.sub.Close()
	}
}

// Subscribers returns the number of running subscriptions to a PubSub
// topic in this process (e.g. TopicPosts(id)).
func (f *Feed) Subscribers(topic string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	fo := f.fanouts[topic]
	if fo == nil {
		return 0
	}
	fo.mu.Lock()
	defer fo.mu.Unlock()
	return len(fo.receivers)
}

// dispatch hands each event of fo's topic to its receivers until the
// PubSub subscription ends; if it ends while receivers remain (the PubSub
// closed or dropped it), their subscriptions end too.
func (f *Feed) dispatch(fo *fanout) {
	var batch []receiver
	for ev := range fo.sub.C {
		var payload event
		if err := json.Unmarshal(ev.Payload, &payload); err != nil {
			f.logger.Warn("undecodable event", "topic", ev.Topic, "err", err)
			continue
		}
		batch = fo.snapshot(batch)
		rows := map[string]loaded{}
		for _, r := range batch {
			r.receive(payload, rows)
		}
		clear(batch) // keep no subscriber alive until the next event
		if f.delivered != nil && payload.At > 0 {
			kind, _, _ := strings.Cut(ev.Topic, ":")
			f.delivered(kind, time.Since(time.UnixMilli(payload.At)))
		}
	}
	f.ended(fo)
}

// snapshot returns the current receivers in buf's storage, so that events
// are handed out without holding the lock.
func (fo *fanout) snapshot(buf []receiver) []receiver {
	fo.mu.Lock()
	defer fo.mu.Unlock()
	buf = buf[:0]
	for r := range fo.receivers {
		buf = append(buf, r)
	}
	return buf
}

// ended forgets a fanout whose PubSub subscription ended and ends the
// subscriptions it still had.
func (f *Feed) ended(fo *fanout) {
	f.mu.Lock()
	if f.fanouts[fo.topic] == fo {
		delete(f.fanouts, fo.topic)
	}
	f.mu.Unlock()
	rest := fo.snapshot(nil)
	if err := fo.sub.Err(); err != nil && len(rest) > 0 {
		level := slog.LevelWarn
		if errors.Is(err, pubsub.ErrClosed) {
			level = slog.LevelInfo // the server is shutting down
		}
		f.logger.Log(context.Background(), level, "subscriptions ended with their event stream",
			"topic", fo.topic, "subscriptions", len(rest), "err", err)
	}
	for _, r := range rest {
		r.end()
	}
}
