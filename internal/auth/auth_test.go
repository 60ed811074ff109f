package auth

import (
	"context"
	"entgo.io/ent/dialect"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

const goodPassword = "correct horse battery staple"

// newService returns a Service over store with the default configuration
// and, on PostgreSQL, the shared throttle, as the server has.
func newService(t *testing.T, store *db.Store) *Service {
	t.Helper()
	var opts []Option
	if store.Dialect == dialect.Postgres {
		opts = append(opts, SharedThrottle())
	}
	return New(store.Client, DefaultConfig(), discardLogger, opts...)
}

var discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestCheckPassword(t *testing.T) {
	cases := map[string]string{
		"short":         "must be at least",
		"password1234":  "commonest",
		"qwertyuiop":    "commonest",
		"aaaaaaaaaaaaa": "too easy",
	}
	for pw, want := range cases {
		err := CheckPassword(pw)
		var fe *validation.FieldError
		if !errors.As(err, &fe) || fe.Field != "password" || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckPassword(%q) = %v, want a password error containing %q", pw, err, want)
		}
	}
	if err := CheckPassword(goodPassword); err != nil {
		t.Errorf("CheckPassword(good) = %v", err)
	}
}

func TestHashAndVerify(t *testing.T) {
	hash, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("hash %q is not argon2id", hash)
	}
	if !VerifyPassword(goodPassword, hash) || VerifyPassword(goodPassword+"x", hash) || VerifyPassword(goodPassword, "") {
		t.Error("VerifyPassword accepts or refuses the wrong thing")
	}
}

func TestLoginSessionsAndThrottle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		svc := newService(t, store)
		if _, err := svc.CreateUser(ctx, NewUser{Email: "Ada@Example.org", DisplayName: "Ada", Password: goodPassword, Role: user.RoleSECRETARIAT}); err != nil {
			t.Fatal(err)
		}
		var checks atomic.Int32
		svc.verify = func(pw, hash string) bool { checks.Add(1); return VerifyPassword(pw, hash) }

		sess, err := svc.Login(context.Background(), "ada@example.ORG", goodPassword, "192.0.2.1")
		if err != nil {
			t.Fatalf("login with a differently cased e-mail: %v", err)
		}
		v, err := svc.Authenticate(context.Background(), sess.Token)
		if err != nil || v.Role != "SECRETARIAT" || v.SessionID == 0 {
			t.Fatalf("Authenticate = %+v, %v", v, err)
		}

		checks.Store(0)
		for i := range 10 {
			if _, err := svc.Login(context.Background(), "ada@example.org", "wrong password "+string(rune('a'+i)), "192.0.2.2"); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		_, err = svc.Login(context.Background(), "ada@example.org", goodPassword, "192.0.2.3")
		var tooMany *TooManyAttemptsError
		if !errors.As(err, &tooMany) || !strings.Contains(err.Error(), "try again in") {
			t.Fatalf("11th attempt: %v, want TooManyAttemptsError", err)
		}
		if n := checks.Load(); n != 10 {
			t.Errorf("passwords checked %d times, want 10: the 11th must be refused without a check", n)
		}
		if _, err := svc.Login(context.Background(), "nobody@example.org", "whatever", "192.0.2.4"); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("unknown account: %v, want the same error as a wrong password", err)
		}
	})
}

func TestExpiredAndRevokedCredentials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		svc := newService(t, store)
		if _, err := svc.CreateUser(ctx, NewUser{Email: "bo@example.org", DisplayName: "Bo", Password: goodPassword}); err != nil {
			t.Fatal(err)
		}
		sess, err := svc.Login(context.Background(), "bo@example.org", goodPassword, "192.0.2.9")
		if err != nil {
			t.Fatal(err)
		}
		svc.now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
		if _, err := svc.Authenticate(context.Background(), sess.Token); !errors.Is(err, ErrExpiredToken) {
			t.Errorf("expired session: %v", err)
		}
		if _, err := svc.Authenticate(context.Background(), sess.Token); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("expired session is deleted: %v", err)
		}
		if _, err := svc.Authenticate(context.Background(), "bts_forged"); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("forged token: %v", err)
		}
	})
}

func TestSetPasswordRevokesAPIKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		sys := authz.SystemContext(context.Background())
		svc := newService(t, store)
		u, err := svc.CreateUser(sys, NewUser{Email: "cy@example.org", DisplayName: "Cy", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := svc.Login(context.Background(), "cy@example.org", goodPassword, "192.0.2.10")
		if err != nil {
			t.Fatal(err)
		}
		v, err := svc.Authenticate(context.Background(), sess.Token)
		if err != nil {
			t.Fatal(err)
		}
		key, err := svc.CreateAPIKey(viewer.NewContext(context.Background(), v), NewAPIKey{Name: "script", Scopes: []viewer.Scope{viewer.ScopeRead}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(context.Background(), key.Secret); err != nil {
			t.Fatalf("new key refused: %v", err)
		}
		if err := svc.SetPassword(sys, u.Email, goodPassword+" again"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(context.Background(), key.Secret); !errors.Is(err, ErrRevokedKey) {
			t.Errorf("key after set-password: %v, want ErrRevokedKey", err)
		}
	})
}
