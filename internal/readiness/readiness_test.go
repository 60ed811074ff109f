package readiness_test

import (
	"context"
	"testing"

	"github.com/bridgesoftrust/hub/internal/readiness"
)

func TestClaim(t *testing.T) {
	if readiness.Claim(context.Background()) != nil {
		t.Fatal("Claim without a signal returned a function")
	}
	calls := 0
	ctx, signal := readiness.NewContext(context.Background(), func() { calls++ })
	if signal.Claimed() || signal.Context() != nil {
		t.Fatal("a fresh signal is claimed")
	}
	type key struct{}
	resolverCtx := context.WithValue(ctx, key{}, "field")
	notify := readiness.Claim(resolverCtx)
	if notify == nil || !signal.Claimed() {
		t.Fatal("Claim did not claim the signal")
	}
	if signal.Context() != resolverCtx {
		t.Fatal("Context is not the claiming resolver's context")
	}
	notify()
	notify()
	if calls != 2 {
		t.Fatalf("notify called the transport %d times, want 2", calls)
	}
	if readiness.Claim(ctx) != nil {
		t.Fatal("a second Claim succeeded: one resolver drives an operation")
	}
}
