package seed_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// meQuery asks who the signed-in caller is and where they are staff.
const meQuery = `{ me { email role memberships { edges { node {
  role municipality { name } association { acronym } } } } } }`

type meAnswer struct {
	Me struct {
		Email, Role string
		Memberships struct {
			Edges []struct {
				Node struct {
					Role         string
					Municipality *struct{ Name string }
					Association  *struct{ Acronym string }
				}
			}
		}
	}
}

func TestDemoCreatesOneAccountPerRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		if n := store.Client.User.Query().CountX(ctx); n != 0 {
			t.Fatalf("a migrated store without demo data has %d users, want none", n)
		}
		if err := seed.Demo(ctx, store.Client); err != nil {
			t.Fatalf("Demo: %v", err)
		}
		srv := httptest.NewServer(server.New(server.DefaultConfig(), store, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
		defer srv.Close()
		for _, a := range seed.DemoAccounts() {
			checkDemoAccount(t, srv.URL+"/graphql", a)
		}
		if err := seed.Demo(ctx, store.Client); err != nil {
			t.Fatalf("second Demo: %v", err)
		}
		if n, want := store.Client.User.Query().CountX(ctx), len(seed.DemoAccounts()); n != want {
			t.Errorf("%d users after Demo ran twice, want %d", n, want)
		}
	})
}

// checkDemoAccount signs in as a with the demo password over GraphQL and
// compares what `me` says with the account's description.
func checkDemoAccount(t *testing.T, url string, a seed.DemoAccount) {
	t.Helper()
	resp := gqltest.Post(t, url, `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": a.Email, "p": seed.DemoPassword}, nil)
	resp.NoErrors(t)
	var login struct{ Login struct{ Token string } }
	resp.Decode(t, &login)
	resp = gqltest.Post(t, url, meQuery, nil, http.Header{"Authorization": {"Bearer " + login.Login.Token}})
	resp.NoErrors(t)
	var got meAnswer
	resp.Decode(t, &got)
	if got.Me.Email != a.Email || got.Me.Role != string(a.Role) {
		t.Errorf("%s: me is %s with role %s, want role %s", a.Email, got.Me.Email, got.Me.Role, a.Role)
	}
	if want := membershipOf(a); describeMemberships(got) != want {
		t.Errorf("%s: memberships %q, want %q", a.Email, describeMemberships(got), want)
	}
}

// membershipOf describes the demo account's membership as "ROLE at place".
func membershipOf(a seed.DemoAccount) string {
	switch {
	case a.Municipality != "":
		return string(a.MemberRole) + " at " + a.Municipality
	case a.Association != "":
		return string(a.MemberRole) + " at " + a.Association
	}
	return ""
}

// describeMemberships describes the memberships `me` returned like
// membershipOf.
func describeMemberships(got meAnswer) string {
	var out []string
	for _, e := range got.Me.Memberships.Edges {
		place := "?"
		if m := e.Node.Municipality; m != nil {
			place = m.Name
		}
		if a := e.Node.Association; a != nil {
			place = a.Acronym
		}
		out = append(out, e.Node.Role+" at "+place)
	}
	return strings.Join(out, ", ")
}

// TestDemoAccountsCoverEveryRole checks that there is one demo account per
// role the Hub knows, each with a demo e-mail address.
func TestDemoAccountsCoverEveryRole(t *testing.T) {
	want := []string{"SECRETARIAT ", "ANALYST ", "NONE EDITOR at LALRG", "NONE EDITOR at Chuhuiv", "NONE MEMBER at Chuhuiv"}
	var got []string
	for _, a := range seed.DemoAccounts() {
		got = append(got, string(a.Role)+" "+membershipOf(a))
		if !strings.HasSuffix(a.Email, "@demo.bridgesoftrust.invalid") {
			t.Errorf("%s is not a demo address (@demo.bridgesoftrust.invalid)", a.Email)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("demo accounts %q, want %q", got, want)
	}
}

// TestDemoAccountsAreDocumented checks that docs/demo-accounts.md lists
// every demo account and the demo password, and warns that they are for
// demonstrations only.
func TestDemoAccountsAreDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/demo-accounts.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, a := range seed.DemoAccounts() {
		if !strings.Contains(doc, a.Email) {
			t.Errorf("docs/demo-accounts.md does not list %s", a.Email)
		}
	}
	if !strings.Contains(doc, "`"+seed.DemoPassword+"`") {
		t.Errorf("docs/demo-accounts.md does not give the demo password %q", seed.DemoPassword)
	}
	if !strings.Contains(strings.ToLower(doc), "never in production") {
		t.Error(`docs/demo-accounts.md does not say "never in production"`)
	}
}
