package pubsub_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/bridgesoftrust/hub/internal/pubsub"
)

const fanOut = 10_000

// BenchmarkBrokerPublish10k measures Publish alone: one event to 10,000
// subscribers of one topic whose buffers are drained, outside the timer,
// before they fill.
func BenchmarkBrokerPublish10k(b *testing.B) {
	const buffer = pubsub.DefaultBufferSize
	br := pubsub.NewBroker(pubsub.WithBufferSize(buffer))
	defer br.Close()
	subs := make([]*pubsub.Subscription, fanOut)
	for i := range subs {
		subs[i] = subscribe(b, br, context.Background(), "news")
	}
	ev := event("news", 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := br.Publish(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
		if i%buffer == buffer-1 {
			b.StopTimer()
			for _, s := range subs {
				drain(s, buffer)
			}
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/fanOut, "ns/delivery")
}

// BenchmarkBrokerDeliver10k measures delivery end to end: one event
// published and received by 10,000 subscriber goroutines (as 10,000
// websocket connections would), including waking them.
func BenchmarkBrokerDeliver10k(b *testing.B) {
	br := pubsub.NewBroker()
	defer br.Close()
	var got sync.WaitGroup
	for range fanOut {
		sub := subscribe(b, br, context.Background(), "news")
		go func() {
			for range sub.C {
				got.Done()
			}
		}()
	}
	ev := event("news", 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got.Add(fanOut)
		if err := br.Publish(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
		got.Wait()
	}
}

// BenchmarkSubscribe measures what one subscription costs (B/op): all on
// one topic and kept open, with a background context and with its own
// cancellable one (as a websocket operation has; the contexts are made
// before the timer starts, so only what Subscribe adds is counted).
func BenchmarkSubscribe(b *testing.B) {
	for _, buffer := range []int{1, pubsub.DefaultBufferSize} {
		for _, cancellable := range []bool{false, true} {
			name := fmt.Sprintf("buffer=%d/cancellable=%v", buffer, cancellable)
			b.Run(name, func(b *testing.B) { benchmarkSubscribe(b, buffer, cancellable) })
		}
	}
}

func benchmarkSubscribe(b *testing.B, buffer int, cancellable bool) {
	br := pubsub.NewBroker(pubsub.WithBufferSize(buffer))
	defer br.Close()
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctxs := make([]context.Context, b.N)
	for i := range ctxs {
		ctxs[i] = context.Background()
		if cancellable {
			var stop context.CancelFunc
			ctxs[i], stop = context.WithCancel(parent)
			defer stop()
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := br.Subscribe(ctxs[i], "news"); err != nil {
			b.Fatal(err)
		}
	}
}
