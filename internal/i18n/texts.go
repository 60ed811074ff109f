// Package i18n holds the Hub's multilingual text type: a piece of text that
// people read in several languages, keyed by language code.
package i18n

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// English is the language of every entity's canonical name.
const English = "en"

// Ukrainian is the second language every translated text allows.
const Ukrainian = "uk"

// maxCodeLen bounds a language code (BCP 47 suggests 35 characters).
const maxCodeLen = 35

var langPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// Texts maps a BCP 47 language code (such as "en", "uk", "pt-BR") to the text
// in that language. New languages are new keys: no schema change is needed.
type Texts map[string]string

// Bounds of a Texts value.
const (
	// MaxLanguages is the most languages one text may have.
	MaxLanguages = 50
	// MaxTextBytes is the longest text in one language, in bytes.
	MaxTextBytes = 5000
)

// Validate reports the first malformed language code, empty or over-long
// text, or too many languages.
func (t Texts) Validate() error {
	if len(t) > MaxLanguages {
		return fmt.Errorf("at most %d languages, got %d", MaxLanguages, len(t))
	}
	for _, lang := range t.Languages() {
		if err := ValidateCode(lang); err != nil {
			return err
		}
		switch text := t[lang]; {
		case strings.TrimSpace(text) == "":
			return fmt.Errorf("text for language %q is empty", lang)
		case len(text) > MaxTextBytes:
			return fmt.Errorf("text for language %q is %d bytes long; at most %d are allowed", lang, len(text), MaxTextBytes)
		}
	}
	return nil
}

// ValidateCode returns an error unless lang is a language code such as
// "en", "uk" or "pt-BR".
func ValidateCode(lang string) error {
	if len(lang) > maxCodeLen || !langPattern.MatchString(lang) {
		return fmt.Errorf("%q is not a language code (use ISO 639-1 such as \"en\" or \"uk\")", lang)
	}
	return nil
}

// Languages returns the language codes present, sorted.
func (t Texts) Languages() []string {
	langs := make([]string, 0, len(t))
	for lang := range t {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	return langs
}

// In returns the text in lang, or fallback when there is none. A regional
// code such as "uk-UA" falls back to its base language "uk".
func (t Texts) In(lang, fallback string) string {
	if lang == "" {
		return fallback
	}
	if s, ok := t[lang]; ok {
		return s
	}
	if base, _, found := strings.Cut(lang, "-"); found {
		if s, ok := t[base]; ok {
			return s
		}
	}
	return fallback
}

// MarshalGQL writes the texts as a JSON object.
func (t Texts) MarshalGQL(w io.Writer) {
	if t == nil {
		t = Texts{}
	}
	b, err := json.Marshal(map[string]string(t))
	if err != nil {
		_, _ = io.WriteString(w, "{}")
		return
	}
	_, _ = w.Write(b)
}

// UnmarshalGQL reads a JSON object of language code to text.
func (t *Texts) UnmarshalGQL(v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("translations must be an object such as {\"uk\": \"...\"}")
	}
	out := make(Texts, len(obj))
	for lang, raw := range obj {
		s, ok := raw.(string)
		if !ok {
			return fmt.Errorf("translation for %s must be a string, not %s", strconv.Quote(lang), fmt.Sprintf("%T", raw))
		}
		out[lang] = s
	}
	if err := out.Validate(); err != nil {
		return err
	}
	*t = out
	return nil
}
