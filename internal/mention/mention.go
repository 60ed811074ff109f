// Package mention finds the users a forum post mentions. A user is
// mentioned by their handle, an optional, unique name of 3 to 30 lower-case
// letters, digits and underscores that they choose in their profile:
// "@olena_k" in a post mentions the user whose handle is olena_k. Handles
// are matched case-insensitively (they are stored in lower case), and an
// @ that follows a letter, digit, dot or another @ (as in an e-mail
// address) starts no mention.
package mention

import (
	"fmt"
	"regexp"
	"strings"
)

// MinLen and MaxLen bound the length of a handle.
const (
	MinLen = 3
	MaxLen = 30
)

var (
	handlePattern  = regexp.MustCompile(`^[a-z0-9_]{3,30}$`)
	mentionPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_.@])@([A-Za-z0-9_]+)`)
)

// Normalize returns handle as it is stored: trimmed, in lower case.
func Normalize(handle string) string { return strings.ToLower(strings.TrimSpace(handle)) }

// Validate accepts a normalized handle.
func Validate(handle string) error {
	if !handlePattern.MatchString(handle) {
		return fmt.Errorf("%q is not a handle: use %d to %d lower-case letters, digits or underscores", handle, MinLen, MaxLen)
	}
	return nil
}

// Handles returns the normalized handles that text mentions, each once, in
// the order of their first mention. Words after an @ that cannot be
// handles (too short or too long) are ignored.
func Handles(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mentionPattern.FindAllStringSubmatch(text, -1) {
		h := Normalize(m[1])
		if seen[h] || Validate(h) != nil {
			continue
		}
		seen[h] = true
		out = append(out, h)
	}
	return out
}
