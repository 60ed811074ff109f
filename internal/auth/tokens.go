package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Token prefixes tell a session token from an API key at a glance (and let
// secret scanners recognise leaked Hub credentials).
const (
	sessionPrefix = "bts_"
	apiKeyPrefix  = "btk_"
	// secretBytes is the entropy of every token: 32 random bytes.
	secretBytes = 32
)

// newToken returns a fresh random token with the prefix.
func newToken(prefix string) string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+).
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashToken returns the SHA-256 of a token. Tokens carry 256 bits of
// entropy, so a fast hash is safe here (unlike for passwords).
func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// kindOf tells whether token looks like a session token or an API key.
func kindOf(token string) (session, apiKey bool) {
	return strings.HasPrefix(token, sessionPrefix), strings.HasPrefix(token, apiKeyPrefix)
}
