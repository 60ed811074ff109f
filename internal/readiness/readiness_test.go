package readiness_test

import (
	"context"
	"testing"

	"github.com/bridgesoftrust/hub/internal/readiness"
)

func TestClaim(t *testing.T) {
	if readiness.Claim(context.Background(), nil) != nil {
		t.Fatal("Claim without a signal returned a function")
	}
	calls := 0
	ctx, signal := readiness.NewContext(context.Background(), func(readiness.Value) { calls++ })
	if signal.Claimed() || signal.Context() != nil {
		t.Fatal("a fresh signal is claimed")
	}
	type key struct{}
	resolverCtx := context.WithValue(ctx, key{}, "field")
	ends := 0
	notify := readiness.Claim(resolverCtx, func() { ends++ })
	if notify == nil || !signal.Claimed() {
		t.Fatal("Claim did not claim the signal")
	}
	if signal.Context() != resolverCtx {
		t.Fatal("Context is not the claiming resolver's context")
	}
	notify(readiness.Value{Key: 1})
	notify(readiness.Value{})
	if calls != 2 {
		t.Fatalf("notify called the transport %d times, want 2", calls)
	}
	if readiness.Claim(ctx, nil) != nil {
		t.Fatal("a second Claim succeeded: one resolver drives an operation")
	}
	signal.End()
	signal.End()
	if ends != 1 {
		t.Fatalf("onEnd called %d times, want once", ends)
	}
}

func TestClaimAfterEnd(t *testing.T) {
	ctx, signal := readiness.NewContext(context.Background(), func(readiness.Value) {})
	signal.End() // the client stopped the operation while its resolver ran
	ended := false
	if readiness.Claim(ctx, func() { ended = true }) == nil || !ended {
		t.Fatal("a claim after the end did not call onEnd at once")
	}
}
