package main

import "testing"

func TestGCPercentFollowsTheLiveHeap(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 400},
		{10 * mib, 400},  // a small heap: the throughput setting
		{30 * mib, 400},  // the server under page loads
		{40 * mib, 400},  // 160 MiB of growth
		{56 * mib, 200},  // 112 MiB: the cap falls as connections fill the heap
		{72 * mib, 88},   // 64 MiB
		{128 * mib, 50},  // thousands of websockets: still 64 MiB
		{1024 * mib, 25}, // the floor
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", tc.live/mib, got, tc.want)
		}
	}
}
