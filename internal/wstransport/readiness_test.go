package wstransport_test

import (
	"context"
	"encoding/json"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// TestSignalledSubscriptionsHoldNoGoroutine checks that subscriptions whose
// resolver claims the readiness signal keep no goroutine while idle, and
// that each still receives every value, in order, then stops on complete.
func TestSignalledSubscriptionsHoldNoGoroutine(t *testing.T) {
	h := newHub()
	tr := wstransport.New(wstransport.Config{SendBufferSize: 1000}) // takes a burst of 600
	c := dial(t, mount(t, h.server(), tr))
	c.init(nil)
	before := runtime.NumGoroutine()
	const subs = 20
	for i := range subs {
		c.subscribe("subscribe", "s"+strconv.Itoa(i), "subscription { signalled }")
	}
	waitFor(t, "the subscriptions", func() bool { return h.signalledCount() == subs })
	// Without the signal each subscription would hold a goroutine waiting on
	// its channel; drain workers and writers end once idle.
	waitFor(t, "idle goroutines", func() bool { return runtime.NumGoroutine()-before < subs/2 })

	const values = 30
	for v := range values {
		h.publishSignalled(strconv.Itoa(v))
	}
	next := map[string]int{}
	for range subs * values {
		m := c.read()
		if m.Type != "next" {
			t.Fatalf("got %s %s, want next", m.Type, m.Payload)
		}
		var payload struct{ Data struct{ Signalled string } }
		if err := json.Unmarshal(m.Payload, &payload); err != nil {
			t.Fatal(err)
		}
		if want := strconv.Itoa(next[m.ID]); payload.Data.Signalled != want {
			t.Fatalf("%s received %s, want %s", m.ID, payload.Data.Signalled, want)
		}
		next[m.ID]++
	}
	c.send("complete", "s0", nil)
	waitFor(t, "s0 to end", func() bool { return h.signalledCount() == subs-1 })
	h.publishSignalled("after s0")
	for range subs - 1 {
		if m := c.read(); m.Type != "next" || m.ID == "s0" {
			t.Fatalf("got %s id=%s after s0's complete", m.Type, m.ID)
		}
	}
}

// TestFramesStayWholeWhenTheSocketIsFull checks that a client that stops
// reading while much is sent gets every message whole and in order once it
// reads again: frames the socket takes only in part are finished later.
func TestFramesStayWholeWhenTheSocketIsFull(t *testing.T) {
	h := newHub()
	tr := wstransport.New(wstransport.Config{SendBufferSize: 5000})
	c := dial(t, mount(t, h.server(), tr))
	c.init(nil)
	c.subscribe("subscribe", "s", "subscription { signalled }")
	waitFor(t, "the subscription", func() bool { return h.signalledCount() == 1 })
	const values = 3000 // 12 MB: more than the socket buffers hold
	body := strings.Repeat("x", 4000)
	for v := range values {
		h.publishSignalled(strconv.Itoa(v) + body)
	}
	for v := range values {
		m := c.read()
		var payload struct{ Data struct{ Signalled string } }
		if err := json.Unmarshal(m.Payload, &payload); err != nil || m.Type != "next" {
			t.Fatalf("message %d: %s %.80s: %v", v, m.Type, m.Payload, err)
		}
		if want := strconv.Itoa(v) + body; payload.Data.Signalled != want {
			t.Fatalf("message %d carries %.20s..., want %.20s...", v, payload.Data.Signalled, want)
		}
	}
}

// TestWritesAfterAKeepAlive checks that a message written without waiting
// long after the writer goroutine's last write (a keep-alive ping, with its
// write deadline) still goes out.
func TestWritesAfterAKeepAlive(t *testing.T) {
	h := newHub()
	// A ping at 200 ms whose write deadline passes at 220 ms; the message
	// goes out at about 300 ms, before the next ping.
	tr := wstransport.New(wstransport.Config{PingInterval: 200 * time.Millisecond, PongTimeout: wait, WriteTimeout: 20 * time.Millisecond})
	c := dial(t, mount(t, h.server(), tr))
	c.init(nil)
	c.subscribe("subscribe", "s", "subscription { signalled }")
	waitFor(t, "the subscription", func() bool { return h.signalledCount() == 1 })
	time.Sleep(300 * time.Millisecond)
	h.publishSignalled("after the pings")
	if m := c.expect("next", "s"); !strings.Contains(string(m.Payload), "after the pings") {
		t.Fatalf("payload %s", m.Payload)
	}
}

// TestSharedResults checks that subscriptions with the same share key and
// operation get one execution's result for a value they all receive, that
// a subscription with another key (another viewer) gets its own when the
// execution read the viewer, and shares it when the execution did not.
func TestSharedResults(t *testing.T) {
	for _, tc := range []struct {
		field      string
		executions int64 // per value, for 3 subscriptions of ann and 1 of bob
		ann, bob   string
	}{
		{"signalled", 2, " for ann", " for bob"}, // reads the viewer: shared by ann's only
		{"plain", 1, "", ""},                     // does not: shared by all
	} {
		h := newHub()
		tr := wstransport.New(wstransport.Config{
			DrainWorkers: 1, // one drain at a time: the first result is stored before the others look
			InitFunc:     bearerInit,
			ShareKey:     func(ctx context.Context) string { v, _ := ctx.Value(viewerKey{}).(string); return v },
			Probe:        probeViewer,
		})
		url := mount(t, h.server(), tr)
		var clients []*client
		for _, viewer := range []string{"ann", "ann", "ann", "bob"} {
			c := dial(t, url)
			c.init(map[string]any{"authorization": "Bearer good-" + viewer})
			c.subscribe("subscribe", "s", "subscription { "+tc.field+" }")
			clients = append(clients, c)
		}
		waitFor(t, "the subscriptions", func() bool { return h.signalledCount() == len(clients) })
		for round := range 3 {
			h.executed.Store(0)
			value := "v" + strconv.Itoa(round)
			h.publishSignalled(value)
			for i, c := range clients {
				want := value + tc.ann
				if i == 3 {
					want = value + tc.bob
				}
				m := c.expect("next", "s")
				if string(m.Payload) != `{"data":{"`+tc.field+`":"`+want+`"}}` {
					t.Fatalf("%s, round %d, client %d: %s, want %s", tc.field, round, i, m.Payload, want)
				}
			}
			if n := h.executed.Load(); n != tc.executions {
				t.Fatalf("%s, round %d: %d executions for 4 subscriptions of 2 viewers, want %d", tc.field, round, n, tc.executions)
			}
		}
	}
}
