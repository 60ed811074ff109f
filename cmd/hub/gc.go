package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The garbage collector's target of hub serve when GOGC is not set. The
// Hub's live heap is usually small (tens of megabytes) and most of its
// allocations die with their request, so the collector's CPU share, not
// memory, limits throughput: under wrk load on the portal map query
// GOGC=400 gave 24-52 % more requests per second than the default of 100
// (see the README's Performance section). But the heap grows between
// collections by GOGC percent of the live heap, and with many websockets
// open the live heap is large: 10,000 idle subscribed connections held
// 43 KiB of resident memory each at GOGC=400 (the heap's growth and the
// spans that garbage interleaved with long-lived objects pins) against
// 23 KiB at GOGC=100. So the target follows the live heap (gcPercentFor):
// GOGC=400 while the live heap is what requests leave (the server's own
// tables and dictionaries, about 30 MB, and the requests in flight: at
// most gcRequestHeap), then a cap on the growth between collections that
// falls over gcTaper to gcHeadroom, where the live heap is mostly open
// connections, and down to minGCPercent. With 128 MiB of growth allowed,
// 10,000 idle connections still took 19.8 KiB each (22.0 KiB for the
// second 5,000), with 64 MiB 12.8-13.5 KiB (15.9-18.3). A fixed cap of
// 64 MiB from 16 MiB of live heap up held the collector near GOGC=220 under
// page loads (a live heap of 27-30 MB): on a deep list GOGC=400 spent 8 %
// less of the server's processor per request. A taper from 48 MiB over
// 64 MiB let 10,000 idle connections take 16.9 KiB each (the first 5,000
// 23.6 KiB); this one 10.2 KiB (13.7 KiB).
// GOMEMLIMIT, when set, still caps the heap.
const (
	maxGCPercent  = 400
	minGCPercent  = 25
	gcHeadroom    = 64 << 20 // bytes
	gcRequestHeap = 40 << 20 // bytes
	gcTaper       = 32 << 20 // bytes
	gcTunerPeriod = time.Second
)

// gcPercentFor returns the collector's target for a live heap of live
// bytes.
func gcPercentFor(live uint64) int {
	if live <= gcRequestHeap {
		return maxGCPercent
	}
	return int(min(max(gcGrowthFor(live)*100/live, minGCPercent), maxGCPercent))
}

// gcGrowthFor returns the most the heap may grow between collections
// over a live heap of live bytes, above gcRequestHeap: from maxGCPercent
// of gcRequestHeap down to gcHeadroom, linearly over gcTaper.
func gcGrowthFor(live uint64) uint64 {
	const top = gcRequestHeap * maxGCPercent / 100
	if over := live - gcRequestHeap; over < gcTaper {
		return top - (top-gcHeadroom)*over/gcTaper
	}
	return gcHeadroom
}

// setServeGC sets the collector's target, unless the operator set GOGC,
// and keeps it following the live heap (gcPercentFor, checked every
// gcTunerPeriod) until the returned function is called.
func setServeGC() (stop func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	percent := gcPercentFor(0)
	debug.SetGCPercent(percent)
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(gcTunerPeriod)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if p := gcPercentFor(sample[0].Value.Uint64()); p != percent {
				percent = p
				debug.SetGCPercent(p)
			}
		}
	}()
	return func() { close(done) }
}
