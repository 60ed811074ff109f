package main

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// warmUpWriters is how many warm-up posts are written at once.
const warmUpWriters = 8

// warmUp writes one post in each topic and waits until every subscriber
// received its topic's: then every subscription is known to listen.
func warmUp(ctx context.Context, api *api, topics []string, ck *clock, subs []*subscriber) error {
	start := time.Now()
	if err := writeEach(ctx, topics, func(topic string) error { return api.createPost(ctx, topic, ck.warmBody()) }); err != nil {
		return fmt.Errorf("writing the warm-up posts: %w", err)
	}
	deadline := time.After(2 * time.Minute)
	for i, s := range subs {
		select {
		case <-s.warm:
		case <-s.done:
			return fmt.Errorf("subscriber %d ended before the warm-up post: %v %q", i, s.err, s.unexpected)
		case <-deadline:
			closeAll(subs[i : i+1])
			return fmt.Errorf("subscriber %d of %d did not get the warm-up post within 2 minutes; it got %q", i, len(subs), s.unexpected)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	logf("every subscriber received its topic's warm-up post within %s", time.Since(start).Round(time.Millisecond))
	return nil
}

// writeEach calls write for each topic, warmUpWriters at a time, and
// returns the first error.
func writeEach(ctx context.Context, topics []string, write func(topic string) error) error {
	var (
		next   atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed error
	)
	for range min(warmUpWriters, len(topics)) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(topics)) && ctx.Err() == nil; i = next.Add(1) - 1 {
				if err := write(topics[i]); err != nil {
					mu.Lock()
					failed = cmp.Or(failed, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return cmp.Or(failed, ctx.Err())
}

// writePosts writes cfg.posts posts at cfg.rate per second in all, to the
// topics in turn, each in its own goroutine so that a slow request does
// not delay the next, and returns how many were written.
func writePosts(ctx context.Context, api *api, cfg config, ck *clock) int {
	var (
		ok int64
		wg sync.WaitGroup
	)
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.rate))
	defer tick.Stop()
	for seq := range cfg.posts {
		if seq > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return int(ok)
			}
		}
		wg.Go(func() {
			ck.sentAt[seq].Store(time.Now().UnixNano())
			if err := api.createPost(ctx, cfg.topicIDs[ck.topic(seq)], ck.body(seq)); err != nil {
				logf("post %d: %v", seq, err)
				return
			}
			ck.took[seq].Store(time.Now().UnixNano() - ck.sentAt[seq].Load())
			ck.written[seq].Store(true)
			atomic.AddInt64(&ok, 1)
		})
	}
	wg.Wait()
	logf("%d posts written", ok)
	return int(ok)
}

// awaitDeliveries waits until the subscribers received want posts in all,
// or for at most drain, and returns how long it waited.
func awaitDeliveries(ctx context.Context, subs []*subscriber, want int64, drain time.Duration) time.Duration {
	start := time.Now()
	deadline := start.Add(drain)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var got int64
		for _, s := range subs {
			got += s.received.Load()
		}
		if got >= want {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}
