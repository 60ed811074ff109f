package graph

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// TestBatchReadsEachItemOnce checks that the items of a batch are read in
// calls of at most maxBatch, that each item is read once however often it
// is asked for, and that a second batch reads only what the first did not.
func TestBatchReadsEachItemOnce(t *testing.T) {
	loader := &batchLoader[int]{reads: map[int]*batchRead[int]{}}
	var calls [][]int
	load := func(_ context.Context, ids []int) (map[int]int, error) {
		calls = append(calls, slices.Clone(ids))
		values := map[int]int{}
		for _, id := range ids {
			values[id] = id * 10
		}
		return values, nil
	}
	first := make([]int, maxBatch+3)
	for i := range first {
		first[i] = i + 1
	}
	read, _ := loader.claim(1, first)
	read.run(context.Background(), load)
	if len(calls) != 2 || len(calls[0]) != maxBatch || len(calls[1]) != 3 {
		t.Fatalf("calls of %v items, want %d and 3", lengths(calls), maxBatch)
	}
	if v, err := loader.readOf(maxBatch + 3).value(maxBatch + 3); err != nil || v != (maxBatch+3)*10 {
		t.Fatalf("value of the last item: %d, %v", v, err)
	}
	if _, mine := loader.claim(2, []int{2, 3}); mine {
		t.Fatal("an item read already was claimed again")
	}
	second, _ := loader.claim(maxBatch+4, []int{1, maxBatch + 4, maxBatch + 5})
	second.run(context.Background(), load)
	if got := calls[2]; !slices.Equal(got, []int{maxBatch + 4, maxBatch + 5}) {
		t.Fatalf("second batch read %v", got)
	}
}

// TestBatchErrorsReachEveryWaiter checks that a failed read, or one whose
// load panics, gives every item of the batch an error, and that the panic
// reaches the caller that read.
func TestBatchErrorsReachEveryWaiter(t *testing.T) {
	failure := errors.New("store down")
	loader := &batchLoader[int]{reads: map[int]*batchRead[int]{}}
	failed, _ := loader.claim(1, []int{1, 2})
	failed.run(context.Background(), func(context.Context, []int) (map[int]int, error) {
		return nil, failure
	})
	if _, err := loader.readOf(2).value(2); !errors.Is(err, failure) {
		t.Fatalf("error of a waiting item: %v", err)
	}
	read, _ := loader.claim(3, []int{3, 4})
	var wg sync.WaitGroup
	wg.Add(1)
	var waitErr error
	go func() {
		defer wg.Done()
		_, waitErr = read.value(4)
	}()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the load's panic did not reach its caller")
			}
		}()
		read.run(context.Background(), func(context.Context, []int) (map[int]int, error) { panic("bad row") })
	}()
	wg.Wait()
	if waitErr == nil {
		t.Fatal("an item waiting on a read that panicked got no error")
	}
}

func lengths(calls [][]int) []int {
	n := make([]int, len(calls))
	for i, c := range calls {
		n[i] = len(c)
	}
	return n
}
