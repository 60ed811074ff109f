// Package signedlink makes and checks the secret links the Hub hands out
// for use without signing in: a user's calendar feed and the one-click
// unsubscribe of an e-mail. A link token is the purpose, the user id and
// an argument, with an HMAC-SHA256 of them under the Hub's link secret
// (hub serve --link-secret). Changing the secret revokes every link.
package signedlink

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Purposes of links: a token made for one is refused for another.
const (
	Calendar    = "cal"
	Unsubscribe = "unsub"
)

var (
	mu     sync.RWMutex
	secret []byte
)

// SetSecret sets the process's link secret (at least 32 bytes).
func SetSecret(s []byte) error {
	if len(s) < 32 {
		return fmt.Errorf("the link secret must have at least 32 bytes, got %d", len(s))
	}
	mu.Lock()
	defer mu.Unlock()
	secret = append([]byte(nil), s...)
	return nil
}

// key returns the link secret, drawing a random one the first time when
// none was set (links then last as long as the process).
func key() []byte {
	mu.RLock()
	k := secret
	mu.RUnlock()
	if k != nil {
		return k
	}
	mu.Lock()
	defer mu.Unlock()
	if secret == nil {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
	}
	return secret
}

// Make returns the token of a link for purpose, user and arg (arg must not
// contain a dot).
func Make(purpose string, userID int, arg string) string {
	payload := purpose + ":" + strconv.Itoa(userID) + ":" + arg
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(sign(payload))
}

func sign(payload string) []byte {
	mac := hmac.New(sha256.New, key())
	mac.Write([]byte(payload))
	return mac.Sum(nil)
}

// ErrInvalid is the answer to a token that was not made by Make under the
// current secret for the purpose.
var ErrInvalid = errors.New("invalid or expired link")

// Check returns the user id and argument of a token made for purpose.
func Check(purpose, token string) (int, string, error) {
	enc := base64.RawURLEncoding
	p, s, ok := strings.Cut(token, ".")
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(s)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, sign(string(payload))) {
		return 0, "", ErrInvalid
	}
	parts := strings.SplitN(string(payload), ":", 3)
	if len(parts) != 3 || parts[0] != purpose {
		return 0, "", ErrInvalid
	}
	id, err := strconv.Atoi(parts[1])
	if err != nil || id <= 0 {
		return 0, "", ErrInvalid
	}
	return id, parts[2], nil
}
