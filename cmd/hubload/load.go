package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// warmUp writes one post and waits until every subscriber received it: then
// every subscription is known to listen.
func warmUp(ctx context.Context, api *api, topic string, ck *clock, subs []*subscriber) error {
	start := time.Now()
	if err := api.createPost(ctx, topic, ck.warmBody()); err != nil {
		return fmt.Errorf("writing the warm-up post: %w", err)
	}
	deadline := time.After(2 * time.Minute)
	for i, s := range subs {
		select {
		case <-s.warm:
		case <-s.done:
			return fmt.Errorf("subscriber %d ended before the warm-up post: %v %q", i, s.err, s.unexpected)
		case <-deadline:
			return fmt.Errorf("subscriber %d of %d did not get the warm-up post within 2 minutes", i, len(subs))
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	logf("every subscriber received the warm-up post within %s", time.Since(start).Round(time.Millisecond))
	return nil
}

// writePosts writes cfg.posts posts at cfg.rate per second, each in its own
// goroutine so that a slow request does not delay the next, and returns
// how many were written.
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
			if err := api.createPost(ctx, cfg.topic, ck.body(seq)); err != nil {
				logf("post %d: %v", seq, err)
				return
			}
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
