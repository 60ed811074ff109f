package schema

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	"github.com/bridgesoftrust/hub/internal/i18n"
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

// validLanguage accepts a language code such as "en", "uk" or "pt-BR".
func validLanguage(s string) error { return i18n.ValidateCode(s) }
