package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestConcurrentGuessesAreLimited sends 30 wrong passwords for one account
// at once: no more than the limit of 10 are checked, however the attempts
// interleave; the others are refused as too many.
func TestConcurrentGuessesAreLimited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		svc := newService(t, store)
		if _, err := svc.CreateUser(authz.SystemContext(context.Background()), NewUser{Email: "di@example.org", DisplayName: "Di", Password: goodPassword}); err != nil {
			t.Fatal(err)
		}
		var checks atomic.Int32
		svc.verify = func(pw, hash string) bool { checks.Add(1); return VerifyPassword(pw, hash) }
		var wg sync.WaitGroup
		var refused atomic.Int32
		for i := range 30 {
			wg.Go(func() {
				_, err := svc.Login(context.Background(), "di@example.org", fmt.Sprintf("guess number %d", i), "192.0.2.7")
				var tooMany *TooManyAttemptsError
				if errors.As(err, &tooMany) {
					refused.Add(1)
				} else if !errors.Is(err, ErrInvalidCredentials) {
					t.Errorf("guess %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if n := checks.Load(); n != 10 || refused.Load() != 20 {
			t.Errorf("%d passwords checked and %d attempts refused, want 10 and 20", n, refused.Load())
		}
	})
}
