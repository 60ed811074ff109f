package server_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
)

// TestDroppedDatabaseConnections breaks the server's connections to
// PostgreSQL between requests, as a server restart, an administrator or
// the network does: the next reads and mutations succeed (a read and the
// start of a transaction are tried again once on a fresh connection), and
// while the database cannot be reached requests answer UNAVAILABLE, never
// INTERNAL_SERVER_ERROR, and succeed again once it can.
func TestDroppedDatabaseConnections(t *testing.T) {
	if !slices.Contains(dbtest.Dialects(), "postgres") {
		t.Skipf("%s is not set", dbtest.PostgresEnv)
	}
	direct, err := url.Parse(dbtest.URL(t, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := startProxy(t, direct.Host)
	viaProxy := *direct
	viaProxy.Host = proxy.addr()
	store, err := db.Open(viaProxy.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	if err := db.Migrate(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	h := startHub(t, store, nil)
	email, password := "reader@example.org", "a long secret passphrase"
	svc := auth.New(store.Client, auth.DefaultConfig(), slog.New(slog.DiscardHandler))
	if _, err := svc.CreateUser(authz.SystemContext(context.Background()), auth.NewUser{Email: email, DisplayName: "Reader", Password: password}); err != nil {
		t.Fatal(err)
	}
	login := `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`
	loginVars := map[string]any{"e": email, "p": password}
	dbName := strings.TrimPrefix(direct.Path, "/")

	busy := func() { // leaves several idle connections in the pool
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() { stillAnswers(t, h) })
		}
		wg.Wait()
	}
	breaks := map[string]func(){
		"backends terminated":              func() { terminateBackends(t, dbName) },
		"dropped with a request in flight": proxy.dropOnNextRequest,
	}
	for name, breakConnections := range breaks {
		t.Run(name, func(t *testing.T) {
			for _, req := range []struct {
				what, query string
				vars        map[string]any
			}{
				{"an anonymous read", `{ countries(first: 1) { totalCount } }`, nil},
				{"a signed-in read", `{ me { email } }`, nil},
				{"a mutation", `mutation { createPhase(input: {name: "p` + strings.ReplaceAll(strings.ToLower(name), " ", "-")[:5] + `"}) { id } }`, nil},
				{"a sign-in", login, loginVars},
			} {
				busy()
				breakConnections()
				resp := h.post(t, req.query, req.vars)
				if len(resp.Errors) > 0 {
					t.Errorf("%s after the connections broke: %s", req.what, resp.Body)
				}
				if req.what == "a mutation" {
					h.post(t, `mutation { deletePhase(id: `+phaseID(t, resp)+`) }`, nil).NoErrors(t)
				}
			}
		})
	}

	t.Run("database unreachable", func(t *testing.T) {
		busy()
		proxy.down()
		for _, req := range []struct {
			what, query string
			vars        map[string]any
		}{
			{"a read", `{ countries(first: 1) { totalCount } }`, nil},
			{"a sign-in (a mutation)", login, loginVars},
		} {
			resp := gqltest.Post(t, h.endpoint(), req.query, req.vars, nil)
			if resp.Code() != apierr.Unavailable {
				t.Errorf("%s while the database is unreachable: %d %s", req.what, resp.Status, resp.Body)
			}
		}
		if resp := h.post(t, `{ me { email } }`, nil); resp.Code() != apierr.Unavailable {
			t.Errorf("a signed-in request while the database is unreachable: %d %s", resp.Status, resp.Body)
		}
		proxy.up()
		stillAnswers(t, h)
		gqltest.Post(t, h.endpoint(), login, loginVars, nil).NoErrors(t)
	})
}

// phaseID returns the id of the phase that resp created.
func phaseID(t *testing.T, resp *gqltest.Response) string {
	t.Helper()
	var data struct{ CreatePhase struct{ ID string } }
	resp.Decode(t, &data)
	return data.CreatePhase.ID
}

// terminateBackends ends every PostgreSQL backend serving database name,
// as pg_terminate_backend does for an administrator or a restart.
func terminateBackends(t *testing.T, name string) {
	t.Helper()
	admin, err := sql.Open("postgres", os.Getenv(dbtest.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	err = admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`, name).Scan(&n)
	if err != nil || n == 0 {
		t.Fatalf("terminating the backends of %s: %d, %v", name, n, err)
	}
	time.Sleep(50 * time.Millisecond) // the backends' messages reach the sockets
}

// tcpProxy forwards TCP connections to a target. It can drop every
// connection the moment its client next sends something (a request in
// flight when the network or the server fails, which drivers cannot
// safely retry by themselves) and refuse new connections for a while.
type tcpProxy struct {
	ln      net.Listener
	target  string
	mu      sync.Mutex
	pairs   []*proxied
	refused bool
}

// proxied is a forwarded connection: client side c, server side s.
type proxied struct {
	c, s  net.Conn
	armed atomic.Bool // drop on the client's next bytes
}

// startProxy listens on a loopback port and forwards to target.
func startProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close(); p.down() })
	go p.serve()
	return p
}

// addr is the proxy's address.
func (p *tcpProxy) addr() string { return p.ln.Addr().String() }

// serve accepts until the listener closes.
func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		refused := p.refused
		p.mu.Unlock()
		if refused {
			abort(c)
			continue
		}
		go p.forward(c)
	}
}

// forward connects c to the target and copies both ways.
func (p *tcpProxy) forward(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		abort(c)
		return
	}
	pair := &proxied{c: c, s: s}
	p.mu.Lock()
	p.pairs = append(p.pairs, pair)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(c, s); _ = c.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if pair.armed.Load() {
			pair.drop()
			return
		}
		if n > 0 {
			if _, werr := s.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	_ = s.Close()
}

// drop aborts both sides with a TCP reset.
func (pair *proxied) drop() { abort(pair.c); abort(pair.s) }

// dropOnNextRequest makes every open connection fail when its client
// next sends a request: the request is swallowed, then the connection
// reset.
func (p *tcpProxy) dropOnNextRequest() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pair := range p.pairs {
		pair.armed.Store(true)
	}
	p.pairs = nil
}

// down resets every connection and refuses new ones until up.
func (p *tcpProxy) down() {
	p.mu.Lock()
	p.refused = true
	pairs := p.pairs
	p.pairs = nil
	p.mu.Unlock()
	for _, pair := range pairs {
		pair.drop()
	}
}

// up accepts connections again.
func (p *tcpProxy) up() {
	p.mu.Lock()
	p.refused = false
	p.mu.Unlock()
}

// abort closes c with a reset rather than an orderly shutdown.
func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
