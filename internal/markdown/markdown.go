// Package markdown turns the Markdown that people write in the forum and
// in news items into HTML that is safe to show: goldmark renders
// CommonMark with GitHub's extensions (tables, strikethrough, autolinks,
// task lists) and bluemonday's user-generated-content policy sanitizes the
// result, so scripts, event handlers and unsafe URLs never survive and
// every link carries rel="nofollow".
package markdown

import (
	"bytes"
	"html"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	// renderer leaves raw HTML out (goldmark's default without
	// html.WithUnsafe); the sanitizer is the second line of defence.
	renderer = goldmark.New(goldmark.WithExtensions(extension.GFM))
	// policy is safe for concurrent use once built.
	policy = newPolicy()
)

// newPolicy returns the sanitizing policy: bluemonday's UGC policy with
// nofollow (and noreferrer for links that open elsewhere) on every link.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	return p
}

// Render returns src rendered to sanitized HTML. Markdown has no syntax
// errors, so neither does Render; should the renderer fail anyway, the
// text is shown escaped.
func Render(src string) string {
	var buf bytes.Buffer
	if err := renderer.Convert([]byte(src), &buf); err != nil {
		return "<p>" + html.EscapeString(src) + "</p>"
	}
	return policy.Sanitize(buf.String())
}
