package live

import (
	"testing"
)

func TestOnFreshStackRaisesPanicsInTheCaller(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want boom", r)
		}
	}()
	onFreshStack(func() { panic("boom") })
	t.Fatal("onFreshStack returned after a panic")
}
