package readmostly

import (
	"sync"
	"testing"
)

// TestMapKeepsWhatWasStored checks loads, replacing a value, and that
// concurrent writers and readers lose nothing.
func TestMapKeepsWhatWasStored(t *testing.T) {
	var m Map[[2]string, int]
	if _, ok := m.Load([2]string{"a", "b"}); ok || m.Len() != 0 {
		t.Fatal("the zero map is not empty")
	}
	m.Store([2]string{"a", "b"}, 1)
	m.Store([2]string{"a", "b"}, 2)
	if v, ok := m.Load([2]string{"a", "b"}); !ok || v != 2 || m.Len() != 1 {
		t.Fatalf("got %d, %v, %d entries; want the second value, one entry", v, ok, m.Len())
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				key := [2]string{string(rune('0' + w)), string(rune('a' + i%26))}
				m.Store(key, i)
				if _, ok := m.Load(key); !ok {
					t.Errorf("%v lost right after it was stored", key)
				}
			}
		}()
	}
	wg.Wait()
	if m.Len() != 1+8*26 {
		t.Errorf("%d entries, want %d", m.Len(), 1+8*26)
	}
	if allocs := testing.AllocsPerRun(100, func() { m.Load([2]string{"c", "d"}) }); allocs != 0 {
		t.Errorf("a load allocated %v times", allocs)
	}
}
