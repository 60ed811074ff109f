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
		{16 * mib, 400},  // 64 MiB of growth
		{32 * mib, 200},  // still 64 MiB
		{128 * mib, 50},  // thousands of websockets
		{1024 * mib, 25}, // the floor
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", tc.live/mib, got, tc.want)
		}
	}
}
