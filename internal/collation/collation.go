// Package collation says how the Hub compares text, the same on SQLite and
// PostgreSQL: searches (the API's *EqualFold and *ContainsFold filters, the
// importer's matching) ignore case and diacritics through Fold, and names
// sort in the Unicode root collation, where a letter with diacritics sorts
// beside its base letter ("Šiauliai" between "Siauliai" and "Ukmergė").
//
// On PostgreSQL the fold is the SQL function hub_fold (created by a
// migration from FoldSQL) and the order is ICU's root collation
// "und-x-icu". On SQLite, whose lower() and LIKE know only ASCII, this
// package registers hub_fold (Fold) and a collation of the same name
// "und-x-icu" (golang.org/x/text/collate's root, the same CLDR order) with
// the modernc.org/sqlite driver when it is imported.
package collation

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"
)

// Name is the collation of names on both stores: ICU's root locale on
// PostgreSQL, its CLDR equivalent registered under the same name on SQLite.
const Name = "und-x-icu"

// FoldFunc is the name of the SQL function that folds text as Fold does.
const FoldFunc = "hub_fold"

// FoldSQL is the body of hub_fold on PostgreSQL, over the argument $1: the
// same steps as Fold (lower case by ICU's rules, whatever the database's
// locale; canonical decomposition; combining diacritics U+0300-U+036F
// dropped; letters whose stroke is not a combining mark mapped to their
// base letter).
const FoldSQL = `translate(regexp_replace(normalize(lower($1 COLLATE "` + Name + `"), NFD), '[\u0300-\u036f]', '', 'g'), '` +
	strokeFrom + `', '` + strokeTo + `')`

// strokeFrom and strokeTo map lower-case letters that carry a diacritic no
// decomposition removes (Polish ł, Croatian đ, Danish ø, Maltese ħ, the
// dotless ı) and the Greek final sigma to their base letters, character by
// character.
const (
	strokeFrom = "łđøħıς"
	strokeTo   = "ldohiσ"
)

// strokes is strokeFrom and strokeTo as a replacer for Fold.
var strokes = func() *strings.Replacer {
	from, to := []rune(strokeFrom), []rune(strokeTo)
	pairs := make([]string, 0, 2*len(from))
	for i := range from {
		pairs = append(pairs, string(from[i]), string(to[i]))
	}
	return strings.NewReplacer(pairs...)
}()

// Fold returns s in lower case without diacritics, the form in which the
// Hub compares text when it ignores case and accents: "ŠIAULIAI" and
// "Šiauliai" fold to "siauliai", "Kuldīga" to "kuldiga", "Чугуїв" to
// "чугуів". PostgreSQL's hub_fold (FoldSQL) gives the same result.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s) // nothing to decompose or map
	}
	decomposed := norm.NFD.String(strings.ToLower(s))
	var b strings.Builder
	b.Grow(len(decomposed))
	for _, r := range decomposed {
		if r < 0x300 || r > 0x36f {
			b.WriteRune(r)
		}
	}
	return strokes.Replace(b.String())
}

// isASCII reports whether s has only ASCII characters.
func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// collators holds root collators for Compare: a Collator is not safe for
// concurrent use, and SQLite compares on several connections at once.
var collators = sync.Pool{New: func() any { return collate.New(language.Und) }}

// Compare orders a and b in the Unicode root collation, breaking ties
// between different strings by their bytes, so that only equal strings
// compare equal (unique indexes stay exact). It returns -1, 0 or +1.
func Compare(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	if n := c.CompareString(a, b); n != 0 {
		return n
	}
	return strings.Compare(a, b)
}

func init() {
	sqlite.MustRegisterCollationUtf8(Name, Compare)
	sqlite.MustRegisterDeterministicScalarFunction(FoldFunc, 1, foldValue)
}

// foldValue is hub_fold on SQLite: Fold of a text (or blob) argument; NULL
// stays NULL, numbers fold as their text.
func foldValue(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case nil:
		return nil, nil
	case string:
		return Fold(v), nil
	case []byte:
		return Fold(string(v)), nil
	default:
		return Fold(fmt.Sprint(v)), nil
	}
}
