package schema

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // time zones validate the same on machines without zoneinfo
	"unicode/utf8"

	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/mention"
)

// notBlank refuses text that is only white space.
func notBlank(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be blank")
	}
	return nil
}

// validURL accepts absolute http and https addresses.
func validURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) address", s)
	}
	return nil
}

// validEmail accepts a single plain address such as name@example.org.
func validEmail(s string) error {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return fmt.Errorf("%q is not an e-mail address such as name@example.org", s)
	}
	return nil
}

// validHandle accepts a user's handle, by which posts mention them.
func validHandle(s string) error { return mention.Validate(s) }

// validLanguage accepts a language code such as "en", "uk" or "pt-BR".
func validLanguage(s string) error { return i18n.ValidateCode(s) }

// slugPattern is lower-case words of letters and digits joined by hyphens.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// validSlug accepts a slug such as "water-and-energy".
func validSlug(s string) error {
	if !slugPattern.MatchString(s) {
		return fmt.Errorf("%q is not a slug such as water-and-energy (lower-case letters and digits joined by hyphens)", s)
	}
	return nil
}

// Limits of topic tags.
const (
	maxTags   = 10
	maxTagLen = 40
)

// validTags accepts up to maxTags distinct, non-blank, lower-case tags of
// at most maxTagLen characters.
func validTags(tags []string) error {
	if len(tags) > maxTags {
		return fmt.Errorf("at most %d tags, got %d", maxTags, len(tags))
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case strings.TrimSpace(t) != t || t == "" || utf8.RuneCountInString(t) > maxTagLen:
			return fmt.Errorf("tag %q must be 1 to %d characters without surrounding spaces", t, maxTagLen)
		case strings.ToLower(t) != t:
			return fmt.Errorf("tag %q must be in lower case", t)
		case seen[t]:
			return fmt.Errorf("tag %q is repeated", t)
		}
		seen[t] = true
	}
	return nil
}

// maxRenderedHTML bounds the HTML rendered from a Markdown body. Bodies
// are bounded (20,000 bytes for posts, 50,000 for news), so the rendering
// is too; the bound only has to be finite. It is above PostgreSQL's 10 MiB
// threshold for ent's column type, so the columns stay text.
const maxRenderedHTML = 16 << 20

// stringList returns a validator of a list of at most maxItems strings,
// each of 1 to maxLen bytes that are not blank.
func stringList(maxItems, maxLen int) func([]string) error {
	return func(list []string) error {
		if len(list) > maxItems {
			return fmt.Errorf("at most %d items, got %d", maxItems, len(list))
		}
		for _, s := range list {
			if len(s) > maxLen || notBlank(s) != nil {
				return fmt.Errorf("item %.40q must be 1 to %d bytes and not blank", s, maxLen)
			}
		}
		return nil
	}
}

// validTimeZone accepts an IANA time zone name such as Europe/Kyiv (or UTC).
func validTimeZone(s string) error {
	if s == "" || s == "Local" {
		return fmt.Errorf("%q is not an IANA time zone such as Europe/Kyiv", s)
	}
	if _, err := time.LoadLocation(s); err != nil {
		return fmt.Errorf("%q is not an IANA time zone such as Europe/Kyiv", s)
	}
	return nil
}
