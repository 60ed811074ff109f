package search

import "strings"

// ukLatin maps each lower-case Ukrainian letter to its Latin form inside a
// word under Ukraine's national transliteration of 2010 (Cabinet of
// Ministers resolution No. 55 of 27 January 2010). The soft sign and the
// apostrophe are dropped.
var ukLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie",
	'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l",
	'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ю': "iu",
	'я': "ia", '\'': "", '’': "", 'ʼ': "",
}

// ukInitial holds the letters written differently at the start of a word.
var ukInitial = map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"}

// Transliterate writes the Ukrainian letters of s in Latin letters by the
// 2010 national standard, in lower case ("Харків" gives "kharkiv",
// "Згурівка" gives "zghurivka"); other characters are kept as they are
// (lower-cased). The standard is a small fixed table, so it is written out
// here rather than taken from a general transliteration library, whose
// tables follow other systems (ISO 9, BGN/PCGN).
func Transliterate(s string) string {
	var b strings.Builder
	runes := []rune(strings.ToLower(s))
	for i, r := range runes {
		initial := i == 0 || !isLetter(runes[i-1])
		switch lat, ok := ukLatin[r]; {
		case r == 'г' && i > 0 && runes[i-1] == 'з':
			b.WriteString("gh") // зг is zgh, to tell it from ж (zh)
		case initial && ukInitial[r] != "":
			b.WriteString(ukInitial[r])
		case ok:
			b.WriteString(lat)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasCyrillic reports whether s has a letter of the Cyrillic block.
func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x400 && r <= 0x4ff {
			return true
		}
	}
	return false
}

// isLetter reports whether r is a letter or the apostrophe inside a
// Ukrainian word (so that я after it is not word-initial).
func isLetter(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || (r >= 'a' && r <= 'z') || (r >= 0x400 && r <= 0x4ff) || r > 0x24f
}
