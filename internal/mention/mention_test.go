package mention_test

import (
	"slices"
	"testing"

	"github.com/bridgesoftrust/hub/internal/mention"
)

func TestHandles(t *testing.T) {
	cases := map[string][]string{
		"@olena_k, thanks!":                      {"olena_k"},
		"hi @Olena_K and @jan (cc @olena_k)":     {"olena_k", "jan"},
		"write to mail@example.org":              nil,
		"@@double and a.@dot":                    nil,
		"@ab is too short, @" + long() + " long": nil,
		"line\n@first_of_line":                   {"first_of_line"},
		"no mentions here":                       nil,
	}
	for text, want := range cases {
		if got := mention.Handles(text); !slices.Equal(got, want) {
			t.Errorf("Handles(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	for h, ok := range map[string]bool{"olena_k": true, "abc": true, "ab": false, "Olena": false, "o-k": false, long(): false} {
		if err := mention.Validate(h); (err == nil) != ok {
			t.Errorf("Validate(%q) = %v, want ok=%v", h, err, ok)
		}
	}
}

func long() string { return "abcdefghijabcdefghijabcdefghijk" }
