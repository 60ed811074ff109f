package search

import (
	"testing"

	"github.com/bridgesoftrust/hub/internal/collation"
)

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"Чугуїв": "chuhuiv", "Харків": "kharkiv", "Kuldīga": "kuldiga", "Згурівка": "zghurivka",
		"Їжакевич": "yizhakevych", "Юрій": "yurii", "Львів": "lviv", "Знам'янка": "znamianka",
		"Щербухи": "shcherbukhy", "Яготин": "yahotyn", "Єнакієве": "yenakiieve",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCyrillic(t *testing.T) {
	for in, want := range map[string]string{"kharkiv": "харків", "chuhuiv": "чугуів", "yahotyn": "яготин"} {
		if got := collation.Fold(Cyrillic(in)); got != collation.Fold(want) {
			t.Errorf("Cyrillic(%q) = %q, want %q", in, got, want)
		}
	}
}
