package matchmaking

import (
	"fmt"
	"slices"
	"strings"
)

// Languages are the ISO 639-1 codes of the languages a municipality's
// staff can list: the EU's official languages, Ukrainian, and the other
// languages common in the programme's countries. A staff's languages are
// stored as a bit set over this list (bit i for Languages[i]), so that the
// SQL prefilter tests a shared language with one AND. Append only: the
// position of a code is its bit.
var Languages = []string{
	"en", "uk", "de", "fr", "pl", "it", "es", "pt", "nl", "cs", "sk", "sl", "hr", "hu", "ro", "bg",
	"el", "lt", "lv", "et", "fi", "sv", "da", "ga", "mt", "ru", "be", "ca", "eu", "gl", "lb", "no",
}

// LanguageMask returns the bit set of codes, or an error naming the first
// code that is not in Languages.
func LanguageMask(codes []string) (int64, error) {
	var mask int64
	for _, c := range codes {
		i := slices.Index(Languages, strings.ToLower(strings.TrimSpace(c)))
		if i < 0 {
			return 0, fmt.Errorf("%q is not a known language code (ISO 639-1, e.g. en, uk, pl)", c)
		}
		mask |= 1 << i
	}
	return mask, nil
}

// NormalizeLanguages returns codes in lower case, each once, in the order
// of Languages.
func NormalizeLanguages(codes []string) []string {
	mask, _ := LanguageMask(slices.DeleteFunc(slices.Clone(codes), func(c string) bool {
		_, err := LanguageMask([]string{c})
		return err != nil
	}))
	var out []string
	for i, c := range Languages {
		if mask&(1<<i) != 0 {
			out = append(out, c)
		}
	}
	return out
}
