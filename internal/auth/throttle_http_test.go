package auth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// clientFrom returns an HTTP client whose connections come from the
// loopback address ip (any 127.x.y.z works on Linux), so that the server
// sees a different client address.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// loginFrom tries to sign in as name@example.org with pw, connecting from
// the client's address.
func (h *hub) loginFrom(t *testing.T, client *http.Client, name, pw string) *gqltest.Response {
	t.Helper()
	return h.loginVia(t, client, nil, name, pw)
}

// loginVia is loginFrom with the request's header (e.g. X-Forwarded-For).
func (h *hub) loginVia(t *testing.T, client *http.Client, header http.Header, name, pw string) *gqltest.Response {
	t.Helper()
	body, _ := json.Marshal(gqltest.Params{Query: loginMutation, Variables: map[string]any{"e": name + "@example.org", "p": pw}})
	req, err := http.NewRequest(http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := &gqltest.Response{Status: resp.StatusCode, Header: resp.Header}
	if r.Body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(r.Body, r); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
	return r
}

// TestBruteForceIsRefused makes ten wrong guesses at one account's
// password within a minute: the eleventh attempt is refused with
// TOO_MANY_REQUESTS even with the right password, while another account
// signs in from another address.
func TestBruteForceIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		h.user(t, "victim", user.RoleNONE)
		h.user(t, "bystander", user.RoleNONE)
		attacker, other := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
		for i := range 10 {
			wantCode(t, fmt.Sprintf("wrong guess %d", i+1), h.loginFrom(t, attacker, "victim", fmt.Sprintf("guess number %d", i)), "UNAUTHENTICATED")
		}
		resp := h.loginFrom(t, attacker, "victim", password)
		checkTooMany(t, "the right password at the 11th attempt", resp)
		checkTooMany(t, "the victim from another address", h.loginFrom(t, other, "victim", password))
		if resp := h.loginFrom(t, other, "bystander", password); resp.Code() != "" || !strings.Contains(string(resp.Data), `"token":"bts_`) {
			t.Errorf("another account from another address: status %d %s, want a session", resp.Status, resp.Body)
		}
	})
}

// checkTooMany checks a refusal for too many failed sign-ins: code
// TOO_MANY_REQUESTS, a message saying when to retry, extensions.retryAfter
// within the one-minute window, and no session.
func checkTooMany(t *testing.T, what string, resp *gqltest.Response) {
	t.Helper()
	wantCode(t, what, resp, "TOO_MANY_REQUESTS")
	if len(resp.Errors) == 0 {
		return
	}
	e := resp.Errors[0]
	if !strings.Contains(e.Message, "try again in") {
		t.Errorf("%s: message %q does not say when to retry", what, e.Message)
	}
	if after, ok := e.Extensions["retryAfter"].(float64); !ok || after < 1 || after > 60 {
		t.Errorf("%s: extensions.retryAfter = %v, want 1 to 60 seconds", what, e.Extensions["retryAfter"])
	}
	if strings.Contains(string(resp.Body), "bts_") {
		t.Errorf("%s: a session token in %s", what, resp.Body)
	}
}
