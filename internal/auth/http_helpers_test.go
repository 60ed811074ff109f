package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// password is the password of every account these tests create.
const password = "tests sign in with this passphrase"

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// hub is a Hub served over real HTTP on a test store.
type hub struct {
	store *db.Store
	url   string
	svc   *auth.Service
}

// testConfig is the server configuration of these tests: the defaults.
func testConfig() server.Config { return server.DefaultConfig() }

// serve serves store over HTTP with cfg until the test ends.
func serve(t *testing.T, store *db.Store, cfg server.Config) *hub {
	t.Helper()
	return serveWith(t, store, cfg, discard)
}

// serveWith serves store over HTTP with cfg and options until the test
// ends, logging on logger.
func serveWith(t *testing.T, store *db.Store, cfg server.Config, logger *slog.Logger, opts ...server.Option) *hub {
	t.Helper()
	srv := httptest.NewServer(server.New(cfg, store, logger, opts...).Handler())
	t.Cleanup(srv.Close)
	return &hub{store: store, url: srv.URL + "/graphql", svc: auth.New(store.Client, cfg.Auth, discard)}
}

// sys is a context in which the tests set up and inspect the store.
func sys() context.Context { return authz.SystemContext(context.Background()) }

// user creates an account with role; its e-mail address is name@example.org.
func (h *hub) user(t *testing.T, name string, role user.Role) *ent.User {
	t.Helper()
	u, err := h.svc.CreateUser(sys(), auth.NewUser{Email: name + "@example.org", DisplayName: name, Password: password, Role: role})
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	return u
}

// post sends a GraphQL request with the header (nil for anonymous).
func (h *hub) post(t *testing.T, query string, vars map[string]any, header http.Header) *gqltest.Response {
	t.Helper()
	return gqltest.Post(t, h.url, query, vars, header)
}

const loginMutation = `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token expiresAt user { id } } }`

// login tries to sign in as name@example.org with pw.
func (h *hub) login(t *testing.T, name, pw string) *gqltest.Response {
	t.Helper()
	return h.post(t, loginMutation, map[string]any{"e": name + "@example.org", "p": pw}, nil)
}

// loginPayload is what a successful login returns.
type loginPayload struct {
	Token     string
	ExpiresAt time.Time
	User      struct{ ID string }
}

// signIn signs in as name@example.org and returns the login payload.
func (h *hub) signIn(t *testing.T, name string) loginPayload {
	t.Helper()
	resp := h.login(t, name, password)
	resp.NoErrors(t)
	var data struct{ Login loginPayload }
	resp.Decode(t, &data)
	return data.Login
}

// session signs in as name@example.org and returns the Authorization
// header of the new session.
func (h *hub) session(t *testing.T, name string) http.Header {
	t.Helper()
	return bearer(h.signIn(t, name).Token)
}

// bearer returns an Authorization header carrying token.
func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// wantCode fails the test unless resp's first error has code.
func wantCode(t *testing.T, what string, resp *gqltest.Response, code string) {
	t.Helper()
	if got := resp.Code(); got != code {
		t.Errorf("%s: got %q (status %d: %s), want %s", what, got, resp.Status, resp.Body, code)
	}
}
