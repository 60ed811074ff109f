package wstransport_test

import (
	"encoding/json"
	"runtime"
	"strconv"
	"testing"

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
