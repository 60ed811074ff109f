package viewer_test

import (
	"context"
	"testing"

	"github.com/bridgesoftrust/hub/internal/viewer"
)

func TestProbeRecordsReadsOfTheViewer(t *testing.T) {
	alice := &viewer.Viewer{UserID: 7}
	for _, v := range []*viewer.Viewer{alice, nil} {
		ctx, probe := viewer.WithProbe(viewer.NewContext(context.Background(), v))
		if probe.Read() {
			t.Fatal("a fresh probe reports a read")
		}
		// A viewer set below the probe (e.g. an audience's representative)
		// is not the probed one: reading it records nothing.
		if got := viewer.FromContext(viewer.NewContext(ctx, alice)); got != alice || probe.Read() {
			t.Fatalf("inner viewer %v, read %v", got, probe.Read())
		}
		if got := viewer.FromContext(ctx); got != v || !probe.Read() {
			t.Fatalf("FromContext under the probe = %v, read %v; want %v, true", got, probe.Read(), v)
		}
		again, second := viewer.WithProbe(ctx)
		if got := viewer.FromContext(again); got != v || !second.Read() {
			t.Fatalf("a probe over a probe: %v, read %v", got, second.Read())
		}
	}
}

// TestSwitch checks that Switch replaces the viewer under WithSwitch only,
// for contexts derived before and after, probes included.
func TestSwitch(t *testing.T) {
	ana := &viewer.Viewer{UserID: 1}
	bob := &viewer.Viewer{UserID: 2}
	plain := viewer.NewContext(context.Background(), ana)
	if viewer.Switch(plain, bob) || viewer.FromContext(plain) != ana {
		t.Fatal("Switch changed a viewer outside WithSwitch")
	}
	op := viewer.WithSwitch(plain)
	field := context.WithValue(op, struct{}{}, "a field's context")
	if viewer.FromContext(field) != ana {
		t.Fatal("WithSwitch lost the viewer")
	}
	if !viewer.Switch(field, bob) || viewer.FromContext(field) != bob || viewer.FromContext(op) != bob {
		t.Fatal("Switch did not reach the operation")
	}
	probed, probe := viewer.WithProbe(op)
	if viewer.FromContext(probed) != bob || !probe.Read() {
		t.Fatal("WithProbe under WithSwitch lost the viewer")
	}
	viewer.Switch(op, nil)
	if viewer.FromContext(field) != nil {
		t.Fatal("Switch to nil (logout) left a viewer")
	}
}
