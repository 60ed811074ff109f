package organisations

import (
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
)

func TestPeriodsMeet(t *testing.T) {
	day := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return &d
	}
	in := func(from, to *time.Time) *ent.Initiative { return &ent.Initiative{StartsOn: from, EndsOn: to} }
	cases := []struct {
		a, b *ent.Initiative
		want bool
	}{
		{in(day("2024-01-01"), day("2024-12-31")), in(day("2024-06-01"), nil), true},
		{in(day("2024-01-01"), day("2024-12-31")), in(day("2025-01-01"), nil), false},
		{in(nil, day("2023-06-30")), in(day("2024-01-01"), day("2024-02-01")), false},
		{in(nil, nil), in(day("2024-01-01"), day("2024-02-01")), true},
		{in(day("2024-01-01"), day("2024-01-01")), in(day("2024-01-01"), day("2024-01-01")), true},
	}
	for i, c := range cases {
		if got := meet(c.a, c.b); got != c.want || meet(c.b, c.a) != c.want {
			t.Errorf("case %d: meet = %v, want %v", i, got, c.want)
		}
	}
}
