package signedlink

import "testing"

func TestMakeAndCheck(t *testing.T) {
	tok := Make(Calendar, 42, "feed")
	id, arg, err := Check(Calendar, tok)
	if err != nil || id != 42 || arg != "feed" {
		t.Fatalf("Check(Make) = %d %q %v", id, arg, err)
	}
	for name, bad := range map[string]string{
		"other purpose": Make(Unsubscribe, 42, "feed"),
		"no signature":  tok[:len(tok)-44],
		"tampered":      Make(Calendar, 43, "feed")[:20] + tok[20:],
		"empty":         "",
	} {
		if _, _, err := Check(Calendar, bad); err != ErrInvalid {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if err := SetSecret([]byte("short")); err == nil {
		t.Error("a short secret was accepted")
	}
	if err := SetSecret([]byte("0123456789abcdef0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Check(Calendar, tok); err != ErrInvalid {
		t.Errorf("a token of the old secret: %v", err)
	}
}
