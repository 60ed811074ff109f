package auth_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// syncBuffer is a log destination safe for concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// forwarded returns a header with X-Forwarded-For (or, named "Forwarded",
// that header) set to value.
func forwarded(name, value string) http.Header { return http.Header{name: {value}} }

// TestTrustedProxies serves with 127.0.0.1 as the trusted proxy and three
// failed sign-ins allowed per client address. Requests through the proxy
// count against the address its X-Forwarded-For or Forwarded header names
// (the rightmost untrusted hop, so a client cannot pick its address by
// writing the header itself); requests from another peer count against
// that peer, whatever their headers say. A session opened through the
// proxy records the client's address, and so does the access log.
func TestTrustedProxies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		cfg := testConfig()
		cfg.TrustedProxies = []string{"127.0.0.1", "10.0.0.0/8"}
		cfg.Auth.Throttle.PerAddress = 3
		var log syncBuffer
		h := serveWith(t, store, cfg, slog.New(slog.NewTextHandler(&log, nil)))
		h.user(t, "fay", user.RoleNONE)
		proxy, stranger := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
		// Each guess names another account, so that only the address limit applies.
		n := 0
		guess := func(client *http.Client, header http.Header) *gqltest.Response {
			n++
			return h.loginVia(t, client, header, fmt.Sprintf("nobody%d", n), "a wrong guess")
		}
		for i := range 3 {
			wantCode(t, fmt.Sprintf("guess %d through the proxy", i+1), guess(proxy, forwarded("X-Forwarded-For", "198.51.100.7, 10.1.2.3")), "UNAUTHENTICATED")
		}
		answers := map[string]string{
			"the same client through the proxy":                    guess(proxy, forwarded("X-Forwarded-For", "198.51.100.7")).Code(),
			"the same client in Forwarded":                         guess(proxy, forwarded("Forwarded", `for=198.51.100.7;proto=https, for="10.9.9.9"`)).Code(),
			"another client claiming to be the first":              guess(proxy, forwarded("X-Forwarded-For", "198.51.100.7, 198.51.100.8")).Code(),
			"another client through the proxy":                     guess(proxy, forwarded("X-Forwarded-For", "198.51.100.9")).Code(),
			"the proxy itself, without a header naming the client": guess(proxy, nil).Code(),
		}
		want := map[string]string{
			"the same client through the proxy":                    "TOO_MANY_REQUESTS",
			"the same client in Forwarded":                         "TOO_MANY_REQUESTS",
			"another client claiming to be the first":              "UNAUTHENTICATED",
			"another client through the proxy":                     "UNAUTHENTICATED",
			"the proxy itself, without a header naming the client": "UNAUTHENTICATED",
		}
		for what, code := range answers {
			if code != want[what] {
				t.Errorf("%s: %s, want %s", what, code, want[what])
			}
		}
		for i := range 3 {
			wantCode(t, fmt.Sprintf("guess %d from an untrusted peer", i+1), guess(stranger, forwarded("X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i+1))), "UNAUTHENTICATED")
		}
		checkTooMany(t, "the untrusted peer naming yet another address", guess(stranger, forwarded("X-Forwarded-For", "192.0.2.99")))

		h.loginVia(t, proxy, forwarded("X-Forwarded-For", "203.0.113.5"), "fay", password).NoErrors(t)
		if addr := store.Client.Session.Query().OnlyX(sys()).ClientAddress; addr != "203.0.113.5" {
			t.Errorf("the session's client address is %q, want 203.0.113.5", addr)
		}
		if !strings.Contains(log.String(), "client=203.0.113.5") {
			t.Errorf("the access log does not name the client 203.0.113.5:\n%s", log.String())
		}
	})
}
