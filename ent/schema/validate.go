package schema

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
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
