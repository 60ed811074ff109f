package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/frequency"

	"github.com/bridgesoftrust/hub/internal/validation"
)

// Password length limits, in characters.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
)

// passwordParams follow OWASP's argon2id recommendation (19 MiB, two
// passes, one lane): strong and affordable on a small server.
var passwordParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

var (
	commonOnce sync.Once
	common     map[string]bool
)

// commonPasswords returns the set of the commonest passwords (the zxcvbn
// frequency list, about 30,000 entries), loaded once.
func commonPasswords() map[string]bool {
	commonOnce.Do(func() {
		list := frequency.FrequencyLists["passwords"]
		common = make(map[string]bool, len(list))
		for _, p := range list {
			common[p] = true
		}
	})
	return common
}

// CheckPassword returns a FieldError (field "password") unless password is
// long enough, not one of the commonest passwords and not easily guessed
// from the user's own e-mail address or name.
func CheckPassword(password string, userInputs ...string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return validation.Errorf("password", "must be at least %d characters long", MinPasswordLength)
	case n > MaxPasswordLength:
		return validation.Errorf("password", "must be at most %d characters long", MaxPasswordLength)
	case commonPasswords()[strings.ToLower(password)]:
		return validation.Errorf("password", "is one of the commonest passwords; choose another")
	}
	if zxcvbn.PasswordStrength(password, userInputs).Score < 2 {
		return validation.Errorf("password", "is too easy to guess; use a longer phrase of unrelated words")
	}
	return nil
}

// HashPassword returns the argon2id hash of password in PHC string format.
func HashPassword(password string) (string, error) {
	hash, err := argon2id.CreateHash(password, passwordParams)
	if err != nil {
		return "", fmt.Errorf("hashing password: %w", err)
	}
	return hash, nil
}

// VerifyPassword reports whether password matches hash. An empty hash (an
// account without a password) never matches.
func VerifyPassword(password, hash string) bool {
	if hash == "" {
		// Spend the same time as a real check, so that timing does not tell
		// whether the account exists.
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash())
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

var (
	dummyOnce sync.Once
	dummy     string
)

func dummyHash() string {
	dummyOnce.Do(func() {
		h, err := HashPassword("not a real password, for constant-time misses")
		if err != nil {
			panic(errors.New("auth: cannot hash the dummy password"))
		}
		dummy = h
	})
	return dummy
}
