package markdown_test

import (
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/markdown"
)

func TestRender(t *testing.T) {
	cases := []struct {
		name, src    string
		want, absent []string
	}{
		{"emphasis and lists", "*Hello* **world**\n\n- one\n- two",
			[]string{"<em>Hello</em>", "<strong>world</strong>", "<li>one</li>"}, nil},
		{"script tag", "hi <script>alert(1)</script> there",
			[]string{"hi"}, []string{"<script", "alert(1)</script>"}},
		{"event handler", `<img src="x" onerror="alert(1)">`,
			nil, []string{"onerror", "<img"}},
		{"link gets nofollow", "[BoT](https://example.org/bot)",
			[]string{`href="https://example.org/bot"`, `rel="nofollow noreferrer"`}, nil},
		{"autolink gets nofollow", "see https://example.org",
			[]string{`href="https://example.org"`, "nofollow"}, nil},
		{"javascript URL", "[x](javascript:alert(1))",
			nil, []string{"javascript:"}},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |",
			[]string{"<table>", "<td>1</td>"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := markdown.Render(c.src)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", c.src, got, w)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(got, a) {
					t.Errorf("Render(%q) = %q, must not contain %q", c.src, got, a)
				}
			}
		})
	}
}
