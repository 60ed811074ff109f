// Package authtest signs callers in for tests: it creates an account with a
// role and returns the Authorization header of a fresh session, so that
// tests through GraphQL over HTTP can act as the secretariat or any user.
package authtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
)

// Password is the password of every account authtest creates.
const Password = "test passphrase for hub accounts"

var counter atomic.Int64

// Header creates an account with role in store and returns an
// Authorization header carrying a session token of it.
func Header(t testing.TB, store *db.Store, role user.Role) http.Header {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	svc := auth.New(store.Client, auth.DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	email := fmt.Sprintf("%s-%d@example.org", role, counter.Add(1))
	if _, err := svc.CreateUser(ctx, auth.NewUser{Email: email, DisplayName: string(role), Password: Password, Role: role}); err != nil {
		t.Fatalf("creating %s account: %v", role, err)
	}
	sess, err := svc.Login(context.Background(), email, Password, "192.0.2.1")
	if err != nil {
		t.Fatalf("signing in as %s: %v", role, err)
	}
	return http.Header{"Authorization": {"Bearer " + sess.Token}}
}

// Secretariat returns the Authorization header of a new secretariat account.
func Secretariat(t testing.TB, store *db.Store) http.Header {
	t.Helper()
	return Header(t, store, user.RoleSECRETARIAT)
}

// Staff creates an account without a global role that is staff (with
// role) of the place set names, e.g.
//
//	authtest.Staff(t, store, "EDITOR", func(m *ent.MembershipCreate) { m.SetMunicipalityID(id) })
//
// and returns the Authorization header of a session of it.
func Staff(t testing.TB, store *db.Store, role membership.Role, set func(*ent.MembershipCreate)) http.Header {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	svc := auth.New(store.Client, auth.DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	email := fmt.Sprintf("staff-%d@example.org", counter.Add(1))
	u, err := svc.CreateUser(ctx, auth.NewUser{Email: email, DisplayName: "staff " + string(role), Password: Password, Role: user.RoleNONE})
	if err != nil {
		t.Fatalf("creating a staff account: %v", err)
	}
	m := store.Client.Membership.Create().SetUser(u).SetRole(role)
	set(m)
	if err := m.Exec(ctx); err != nil {
		t.Fatalf("adding the membership: %v", err)
	}
	sess, err := svc.Login(context.Background(), email, Password, "192.0.2.1")
	if err != nil {
		t.Fatalf("signing in: %v", err)
	}
	return http.Header{"Authorization": {"Bearer " + sess.Token}}
}
