package search

import "testing"

func TestTransliterate(t *testing.T) {
	for in, want := range map[string]string{
		"Харків":      "kharkiv",
		"Чугуїв":      "chuhuiv",
		"Згурівка":    "zghurivka",
		"Їжакевич":    "yizhakevych",
		"Знам'янка":   "znamianka",
		"Юрій":        "yurii",
		"Яготин":      "yahotyn",
		"Єнакієве":    "yenakiieve",
		"Гайсин":      "haisyn",
		"Ґорґани":     "gorgany",
		"Щастя":       "shchastia",
		"Kuldīga":     "kuldīga",
		"Біла Церква": "bila tserkva",
	} {
		if got := Transliterate(in); got != want {
			t.Errorf("Transliterate(%q) = %q, want %q", in, got, want)
		}
	}
}
