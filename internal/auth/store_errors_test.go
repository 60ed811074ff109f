package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestLoginReportsStoreFailures closes the store under Login: the failure
// is reported as such, not as wrong credentials, and is not counted as a
// failed sign-in (which would lock people out while the store is down).
func TestLoginReportsStoreFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		svc := New(store.Client, DefaultConfig(), discardLogger) // counts in process, readable after the store closed
		if _, err := svc.CreateUser(authz.SystemContext(context.Background()), NewUser{Email: "cy@example.org", DisplayName: "Cy", Password: goodPassword}); err != nil {
			t.Fatal(err)
		}
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Login(context.Background(), "cy@example.org", goodPassword, "192.0.2.5")
		if err == nil || errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("Login on a closed store: %v, want the store's error", err)
		}
		for _, key := range []string{accountKey("cy@example.org"), "address:192.0.2.5"} {
			if n := len(svc.throttle.(*memoryCounter).recent(key)); n != 0 {
				t.Errorf("%s: %d failed sign-ins counted, want none", key, n)
			}
		}
	})
}
