package pubsub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/pubsub"
)

// wait is how long a test waits for something that should happen at once;
// it only bounds a failing test, it measures nothing.
const wait = 10 * time.Second

func event(topic string, id int) pubsub.Event {
	return pubsub.Event{Topic: topic, Payload: json.RawMessage(fmt.Sprintf(`{"id":%d}`, id))}
}

func subscribe(t testing.TB, ps pubsub.PubSub, ctx context.Context, topic string) *pubsub.Subscription {
	t.Helper()
	sub, err := ps.Subscribe(ctx, topic)
	if err != nil {
		t.Fatalf("Subscribe(%q): %v", topic, err)
	}
	return sub
}

func publish(t testing.TB, ps pubsub.PubSub, ev pubsub.Event) {
	t.Helper()
	if err := ps.Publish(context.Background(), ev); err != nil {
		t.Fatalf("Publish(%s): %v", ev.Topic, err)
	}
}

// receive returns the next event on sub, failing if none comes.
func receive(t testing.TB, sub *pubsub.Subscription) pubsub.Event {
	t.Helper()
	select {
	case ev, ok := <-sub.C:
		if !ok {
			t.Fatalf("subscription closed: %v", sub.Err())
		}
		return ev
	case <-time.After(wait):
		t.Fatal("no event")
		return pubsub.Event{}
	}
}

// expectNone fails if sub has an event pending.
func expectNone(t testing.TB, sub *pubsub.Subscription) {
	t.Helper()
	select {
	case ev, ok := <-sub.C:
		t.Fatalf("unexpected event %+v (open %v)", ev, ok)
	default:
	}
}

// expectEnd waits for sub's channel to close and checks the reason.
func expectEnd(t testing.TB, sub *pubsub.Subscription, want error) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case _, ok := <-sub.C:
			if ok {
				continue
			}
			if err := sub.Err(); !errors.Is(err, want) {
				t.Fatalf("Err() = %v, want %v", err, want)
			}
			return
		case <-deadline:
			t.Fatal("subscription did not end")
		}
	}
}

// noLeak fails if goroutines started after before do not end.
func noLeak(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBrokerFanOut(t *testing.T) {
	b := pubsub.NewBroker()
	defer b.Close()
	ctx := context.Background()
	news := []*pubsub.Subscription{subscribe(t, b, ctx, "news"), subscribe(t, b, ctx, "news"), subscribe(t, b, ctx, "news")}
	post := subscribe(t, b, ctx, "post:1")

	publish(t, b, event("news", 1))
	publish(t, b, event("news", 2))
	for i, sub := range news {
		for want := 1; want <= 2; want++ {
			if ev := receive(t, sub); ev.Topic != "news" || string(ev.Payload) != fmt.Sprintf(`{"id":%d}`, want) {
				t.Errorf("subscriber %d got %s %s, want news {\"id\":%d}", i, ev.Topic, ev.Payload, want)
			}
		}
		if sub.Err() != nil {
			t.Errorf("active subscription: Err() = %v", sub.Err())
		}
	}
	expectNone(t, post)
}

func TestBrokerPublishWithoutSubscribers(t *testing.T) {
	b := pubsub.NewBroker()
	defer b.Close()
	publish(t, b, event("nobody", 1))
}

func TestBrokerDropsSlowConsumerWithoutBlockingOthers(t *testing.T) {
	b := pubsub.NewBroker(pubsub.WithBufferSize(2))
	defer b.Close()
	ctx := context.Background()
	slow := subscribe(t, b, ctx, "news")
	fast := subscribe(t, b, ctx, "news")

	// The slow subscriber never reads; publishing must go on regardless
	// (were Publish to block, this loop would hang).
	for i := range 10 {
		publish(t, b, event("news", i))
		if ev := receive(t, fast); string(ev.Payload) != fmt.Sprintf(`{"id":%d}`, i) {
			t.Fatalf("fast subscriber got %s, want id %d", ev.Payload, i)
		}
	}
	for i := range 2 { // what fitted in its buffer before it was dropped
		if ev, ok := <-slow.C; !ok || string(ev.Payload) != fmt.Sprintf(`{"id":%d}`, i) {
			t.Fatalf("slow subscriber's buffered event %d: %s, open %v", i, ev.Payload, ok)
		}
	}
	expectEnd(t, slow, pubsub.ErrSlowConsumer)
	if fast.Err() != nil {
		t.Fatalf("fast subscriber ended: %v", fast.Err())
	}
}

func TestSubscriptionEndsWithContext(t *testing.T) {
	b := pubsub.NewBroker()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	sub := subscribe(t, b, ctx, "news")
	other := subscribe(t, b, context.Background(), "news")
	cancel()
	expectEnd(t, sub, context.Canceled)

	publish(t, b, event("news", 1))
	receive(t, other)

	cause := errors.New("websocket closed")
	ctx2, cancel2 := context.WithCancelCause(context.Background())
	sub2 := subscribe(t, b, ctx2, "news")
	cancel2(cause)
	expectEnd(t, sub2, cause)

	if _, err := b.Subscribe(ctx, "news"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe with an ended context: %v, want context.Canceled", err)
	}
}

func TestSubscriptionClose(t *testing.T) {
	b := pubsub.NewBroker()
	defer b.Close()
	sub := subscribe(t, b, context.Background(), "news")
	sub.Close()
	sub.Close() // idempotent
	expectEnd(t, sub, pubsub.ErrClosed)
	publish(t, b, event("news", 1)) // no subscriber left; must not panic
}

func TestBrokerClose(t *testing.T) {
	b := pubsub.NewBroker()
	subs := []*pubsub.Subscription{subscribe(t, b, context.Background(), "a"), subscribe(t, b, context.Background(), "b")}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		expectEnd(t, sub, pubsub.ErrClosed)
		sub.Close()
	}
	if err := b.Publish(context.Background(), event("a", 1)); !errors.Is(err, pubsub.ErrClosed) {
		t.Errorf("Publish after Close: %v", err)
	}
	if _, err := b.Subscribe(context.Background(), "a"); !errors.Is(err, pubsub.ErrClosed) {
		t.Errorf("Subscribe after Close: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestBrokerRefusesInvalidEvents(t *testing.T) {
	b := pubsub.NewBroker()
	defer b.Close()
	if err := b.Publish(context.Background(), pubsub.Event{Topic: ""}); !errors.Is(err, pubsub.ErrInvalidEvent) {
		t.Errorf("Publish with empty topic: %v", err)
	}
	if _, err := b.Subscribe(context.Background(), "bad\ntopic"); !errors.Is(err, pubsub.ErrInvalidEvent) {
		t.Errorf("Subscribe to bad topic: %v", err)
	}
}

// TestBrokerConcurrentUse is for the race detector: publishers,
// subscribers coming and going, slow ones dropped, all at once.
func TestBrokerConcurrentUse(t *testing.T) {
	before := runtime.NumGoroutine()
	b := pubsub.NewBroker(pubsub.WithBufferSize(4))
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Go(func() {
			for i := range 500 {
				_ = b.Publish(context.Background(), event(fmt.Sprintf("t%d", i%3), p))
			}
		})
	}
	for range 8 {
		wg.Go(func() {
			for i := range 100 {
				ctx, cancel := context.WithCancel(context.Background())
				sub, err := b.Subscribe(ctx, fmt.Sprintf("t%d", i%3))
				if err != nil {
					t.Error(err)
				}
				drain(sub, i%5)
				if i%2 == 0 {
					cancel()
				} else {
					sub.Close()
				}
				_ = sub.Err()
				cancel()
			}
		})
	}
	wg.Wait()
	_ = b.Close()
	noLeak(t, before)
}

// drain reads up to n events from sub without waiting for more.
func drain(sub *pubsub.Subscription, n int) {
	for range n {
		select {
		case <-sub.C:
		default:
			return
		}
	}
}

func TestBrokerNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	b := pubsub.NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	subs := make([]*pubsub.Subscription, 1000)
	for i := range subs {
		subs[i] = subscribe(t, b, ctx, fmt.Sprintf("post:%d", i%10))
	}
	publish(t, b, event("post:1", 1))
	cancel()
	for _, sub := range subs {
		expectEnd(t, sub, context.Canceled)
	}
	_ = b.Close()
	noLeak(t, before)
}

func TestOpenPicksBrokerForSQLite(t *testing.T) {
	ps, err := pubsub.Open(context.Background(), "sqlite3", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	if _, ok := ps.(*pubsub.Broker); !ok {
		t.Fatalf("Open(sqlite3) = %T, want *pubsub.Broker", ps)
	}
}
