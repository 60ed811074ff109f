package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target of hub serve when GOGC
// is not set: the heap may grow to 5 times the live heap between
// collections instead of twice. The Hub's live heap is small (tens of
// megabytes) and most of its allocations die with their request, so the
// collector's CPU share, not memory, limits throughput: under wrk load on
// the portal map query GOGC=400 gave 24-52 % more requests per second than
// the default of 100 (see the README's Performance section). GOMEMLIMIT, when
// set, still caps the heap.
const serveGCPercent = 400

// setServeGC applies serveGCPercent unless the operator set GOGC.
func setServeGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
}
