package db

import "testing"

// TestPostgresDSNTurnsJITOff checks that the Hub's PostgreSQL connections
// run without JIT unless the URL says otherwise.
func TestPostgresDSNTurnsJITOff(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h/db?sslmode=disable":       "postgres://u@h/db?jit=off&sslmode=disable",
		"postgres://u@h/db?jit=on":                "postgres://u@h/db?jit=on",
		"postgres://u@h/db?options=-c%20jit%3Don": "postgres://u@h/db?options=-c%20jit%3Don",
	} {
		got, err := postgresDSN(in)
		if err != nil || got != want {
			t.Errorf("postgresDSN(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
