package email

import "testing"

func TestNewSMTP(t *testing.T) {
	for _, ok := range []string{"smtp://mail.example.org", "smtp://u:p@mail.example.org:587", "smtp://127.0.0.1:25?tls=none",
		"smtp://host:25?tls=opportunistic", "smtps://u:p@host:465"} {
		if _, err := NewSMTP(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "http://host", "smtp://", "smtp://host:x", "smtp://host?tls=maybe"} {
		if _, err := NewSMTP(bad); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

func TestLanguageAndKinds(t *testing.T) {
	for code, want := range map[string]string{"uk": "uk", "uk-UA": "uk", "en": "en", "pl": "en", "": "en"} {
		if got := language(code); got != want {
			t.Errorf("language(%q) = %q, want %q", code, got, want)
		}
	}
	for k := range texts["en"] {
		if _, ok := texts["uk"][k]; !ok {
			t.Errorf("no Ukrainian text for %q", k)
		}
	}
	if KindOf("REQUEST_ACCEPTED") != "REQUEST" || KindOf("EVENT_PROMOTED") != "EVENT" || KindOf("REPLY") != "REPLY" {
		t.Error("KindOf")
	}
}
