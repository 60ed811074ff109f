package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

const (
	adminPassword = "first secretariat passphrase"
	newPassword   = "a replacement passphrase for admin"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// runHub parses args as the hub command line, with --database-url dbURL
// first, and runs the command with input on its standard input (a pipe).
func runHub(t *testing.T, dbURL, input string, args ...string) error {
	t.Helper()
	cli, kctx := parseHub(t, dbURL, args...)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.WriteString(w, input); err != nil {
		t.Fatal(err)
	}
	w.Close()
	stdin = r
	defer func() { stdin = os.Stdin }()
	return kctx.Run(&cli.Globals, discard)
}

// parseHub parses args as the hub command line, with --database-url dbURL
// first.
func parseHub(t *testing.T, dbURL string, args ...string) (*CLI, *kong.Context) {
	t.Helper()
	var cli CLI
	parser, err := kong.New(&cli, kong.Vars{"default_db": "sqlite://:memory:"})
	if err != nil {
		t.Fatal(err)
	}
	kctx, err := parser.Parse(append([]string{"--database-url", dbURL}, args...))
	if err != nil {
		t.Fatalf("parsing %q: %v", args, err)
	}
	return &cli, kctx
}

// testStore opens the store at dbURL and holds one connection to it for
// the test, so that an in-memory SQLite database outlives each command's
// own connections.
func testStore(t *testing.T, dbURL string) *db.Store {
	t.Helper()
	store, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := store.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(); store.Close() })
	return store
}

// partnershipVars creates two Ukrainian and one Polish municipality and a
// phase, and returns the variables of a createPartnership mutation for
// the i-th Ukrainian one (0 or 1).
func partnershipVars(t *testing.T, client *ent.Client) func(i int) map[string]any {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	ua := client.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(ctx)
	pl := client.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(ctx)
	uas := []*ent.Municipality{
		client.Municipality.Create().SetName("Alpha").SetCountry(ua).SaveX(ctx),
		client.Municipality.Create().SetName("Gamma").SetCountry(ua).SaveX(ctx),
	}
	eu := client.Municipality.Create().SetName("Beta").SetCountry(pl).SaveX(ctx)
	phase := client.Phase.Create().SetName("pilot").SaveX(ctx)
	return func(i int) map[string]any {
		return map[string]any{"ua": uas[i].ID, "eu": eu.ID, "ph": phase.ID}
	}
}

const createPartnership = `mutation($ua: ID!, $eu: ID!, $ph: ID!) {
  createPartnership(input: {ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu, phaseID: $ph}) { id } }`

// login signs in over GraphQL and returns the response.
func login(t *testing.T, url, email, password string) *gqltest.Response {
	t.Helper()
	return gqltest.Post(t, url, `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token user { id role } } }`,
		map[string]any{"e": email, "p": password}, nil)
}

// token signs in and returns the Authorization header of the session.
func token(t *testing.T, url, email, password string) http.Header {
	t.Helper()
	resp := login(t, url, email, password)
	resp.NoErrors(t)
	var data struct {
		Login struct {
			Token string
			User  struct{ ID, Role string }
		}
	}
	resp.Decode(t, &data)
	if data.Login.Token == "" || data.Login.User.ID == "" || data.Login.User.Role != "SECRETARIAT" {
		t.Fatalf("login answered %s", resp.Data)
	}
	return http.Header{"Authorization": {"Bearer " + data.Login.Token}}
}

// wantCode fails the test unless resp's first error has code.
func wantCode(t *testing.T, what string, resp *gqltest.Response, code string) {
	t.Helper()
	if resp.Code() != code {
		t.Errorf("%s: got status %d %s, want %s", what, resp.Status, resp.Body, code)
	}
}

// TestUserCommandsDoneWhen is the accounts issue's done-when flow: the
// first secretariat account is created on the command line, signs in over
// GraphQL and changes data; anonymous changes are refused; set-password and
// disable end what they must.
func TestUserCommandsDoneWhen(t *testing.T) {
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dbURL := dbtest.URL(t, dialect)
			store := testStore(t, dbURL)
			err := runHub(t, dbURL, adminPassword+"\n", "user", "create", "--email", "admin@example.org",
				"--name", "Admin", "--role", "secretariat", "--password-stdin")
			if err != nil {
				t.Fatalf("hub user create: %v", err)
			}
			srv := httptest.NewServer(server.New(server.DefaultConfig(), store, discard).Handler())
			defer srv.Close()
			url := srv.URL + "/graphql"
			vars := partnershipVars(t, store.Client)
			admin := token(t, url, "admin@example.org", adminPassword)
			gqltest.Post(t, url, createPartnership, vars(0), admin).NoErrors(t)
			wantCode(t, "createPartnership without a token", gqltest.Post(t, url, createPartnership, vars(1), nil), "UNAUTHENTICATED")
			if n := store.Client.Partnership.Query().CountX(authz.SystemContext(context.Background())); n != 1 {
				t.Errorf("%d partnerships stored, want 1: the anonymous mutation must write nothing", n)
			}
			admin = checkSetPassword(t, dbURL, url, admin)
			checkDisable(t, dbURL, url, admin)
		})
	}
}

// checkSetPassword replaces the admin's password on the command line and
// returns a header with a session of the new one.
func checkSetPassword(t *testing.T, dbURL, url string, old http.Header) http.Header {
	t.Helper()
	if err := runHub(t, dbURL, newPassword+"\n", "user", "set-password", "--email", "admin@example.org", "--password-stdin"); err != nil {
		t.Fatalf("hub user set-password: %v", err)
	}
	wantCode(t, "a session opened before set-password", gqltest.Post(t, url, `{ me { id } }`, nil, old), "UNAUTHENTICATED")
	wantCode(t, "login with the old password", login(t, url, "admin@example.org", adminPassword), "UNAUTHENTICATED")
	return token(t, url, "admin@example.org", newPassword)
}

// checkDisable disables the admin on the command line.
func checkDisable(t *testing.T, dbURL, url string, session http.Header) {
	t.Helper()
	if err := runHub(t, dbURL, "", "user", "disable", "--email", "admin@example.org"); err != nil {
		t.Fatalf("hub user disable: %v", err)
	}
	wantCode(t, "a session opened before disable", gqltest.Post(t, url, `{ me { id } }`, nil, session), "UNAUTHENTICATED")
	wantCode(t, "login after disable", login(t, url, "admin@example.org", newPassword), "UNAUTHENTICATED")
}

// TestUserCreateRefusesBadPasswords checks that hub user create stores
// nothing without an acceptable password on standard input.
func TestUserCreateRefusesBadPasswords(t *testing.T) {
	dbURL := dbtest.URL(t, "sqlite")
	store := testStore(t, dbURL)
	for input, want := range map[string]string{"": "no password on standard input", "short\n": "at least 10 characters"} {
		err := runHub(t, dbURL, input, "user", "create", "--email", "a@example.org", "--name", "A", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("stdin %q: %v, want an error containing %q", input, err, want)
		}
	}
	if n := store.Client.User.Query().CountX(authz.SystemContext(context.Background())); n != 0 {
		t.Errorf("%d users stored, want none", n)
	}
}
