// Package search finds the records a viewer may read by a free-text query,
// ignoring case and diacritics and matching Ukrainian names written in
// Cyrillic or in their Latin transliteration.
package search

import (
	"strings"
	"unicode"

	"github.com/bridgesoftrust/hub/internal/collation"
)

// The Ukrainian-Latin transliteration of Ukraine's national standard
// (Cabinet of Ministers resolution 55 of 27 January 2010), written by hand:
// golang.org/x/text has no transliteration and the Go transliteration
// modules served here follow the Russian or the passport rules of other
// years. Letters with a different spelling at the start of a word are in
// initial; the soft sign and the apostrophe are dropped; "зг" is "zgh" to
// tell it from "ж".
var (
	inWord = map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie",
		'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l",
		'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
		'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ю': "iu",
		'я': "ia", '\'': "", '’': "", 'ʼ': "",
		// Russian letters found in older records, not part of the standard.
		'ы': "y", 'э': "e", 'ё': "io", 'ъ': "",
	}
	initial = map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"}
)

// Latin transliterates the Ukrainian Cyrillic letters of s into Latin by the
// 2010 standard, in lower case; other characters are kept, lower-cased.
func Latin(s string) string {
	var b strings.Builder
	prev := ' '
	runes := []rune(strings.ToLower(s))
	for i, r := range runes {
		switch {
		case r == 'г' && prev == 'з':
			b.WriteString("gh")
		case !unicode.IsLetter(prev) && initial[r] != "":
			b.WriteString(initial[r])
		default:
			if t, ok := inWord[r]; ok {
				b.WriteString(t)
			} else {
				b.WriteRune(r)
			}
		}
		if r != '\'' && r != '’' && r != 'ʼ' || i == 0 {
			prev = r
		}
	}
	return b.String()
}

// Key is the form in which text and queries are compared: transliterated
// to Latin, lower case, without diacritics ("Чугуїв", "Chuhuiv" and
// "chuhuív" all give "chuhuiv").
func Key(s string) string { return collation.Fold(Latin(s)) }

// reverse maps Latin spellings of the standard back to Cyrillic, longest
// first, so that a Latin query finds a name stored only in Cyrillic. The
// mapping is ambiguous (i is і, ї or й); compared folded, і also matches ї
// and и matches й, which covers the common cases.
var reverse = strings.NewReplacer(
	"shch", "щ", "zgh", "зг", "kh", "х", "zh", "ж", "ts", "ц", "ch", "ч", "sh", "ш",
	"ye", "є", "yi", "ї", "yu", "ю", "ya", "я", "iu", "ю", "ia", "я", "ie", "є",
	"a", "а", "b", "б", "v", "в", "h", "г", "g", "ґ", "d", "д", "e", "е", "z", "з",
	"y", "и", "i", "і", "k", "к", "l", "л", "m", "м", "n", "н", "o", "о", "p", "п",
	"r", "р", "s", "с", "t", "т", "u", "у", "f", "ф",
)

// Cyrillic spells a Latin key in Ukrainian Cyrillic, the inverse of Key
// where the standard allows one.
func Cyrillic(key string) string { return reverse.Replace(key) }
