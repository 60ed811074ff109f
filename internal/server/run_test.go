package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/server/limits"
)

// TestPerRequestLimits checks that middleware (e.g. authentication of a
// bulk API key) can raise the page size and cost limits of a request.
func TestPerRequestLimits(t *testing.T) {
	bulk := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Test-Bulk") != "" {
				ctx := limits.WithMaxComplexity(limits.WithMaxPageSize(r.Context(), 1000), 100_000)
				r = r.WithContext(ctx)
			}
			next.ServeHTTP(w, r)
		})
	}
	h := sqliteHub(t, nil, server.WithMiddleware(bulk))
	query := `{ countries(first: 500) { edges { node { municipalities(first: 50) { edges { node { id } } } } } } }`
	wantCode(t, h.post(t, query, nil), apierr.PageSizeExceeded)
	resp := h.post(t, `{ countries(first: 100) { edges { node { municipalities(first: 100) { edges { node { id } } } } } } }`, nil)
	wantCode(t, resp, apierr.QueryTooComplex)
	h.postWith(t, query, header("X-Test-Bulk", "1")).NoErrors(t)
}

// TestServeShutsDownGracefully starts the server on a listener, begins a
// request, cancels the context and checks that the request still
// completes, new connections are refused and Serve returns nil.
func TestServeShutsDownGracefully(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	hold := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Test-Hold") != "" {
				close(entered)
				<-release
			}
			next.ServeHTTP(w, r)
		})
	}
	srv := server.New(server.DefaultConfig(), sqliteHub(t, nil).store, slog.New(slog.DiscardHandler), server.WithMiddleware(hold))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	url := "http://" + ln.Addr().String()

	held := make(chan int, 1)
	go func() { held <- holdRequest(url + "/graphql") }()
	<-entered
	cancel()
	waitRefused(t, ln.Addr().String())
	close(release)
	if status := <-held; status != http.StatusOK {
		t.Errorf("the request running at shutdown ended with %d", status)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// holdRequest posts a query marked to be held and returns its status.
func holdRequest(url string) int {
	req, _ := http.NewRequest(http.MethodPost, url, stringsReader(`{"query": "{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Test-Hold", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// waitRefused waits until addr refuses new connections.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		conn.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the server still accepts connections after shutdown began")
}

// TestTotalCountCostsOncePerConnection checks that a connection's
// totalCount is costed once, not once per item of the page around it: the
// portal's per-country totals pass, while fetching 100 x 100 items does not.
func TestTotalCountCostsOncePerConnection(t *testing.T) {
	h := sqliteHub(t, nil)
	h.post(t, `{ countries { edges { node { code municipalities { totalCount } } } } }`, nil).NoErrors(t)
	wantCode(t, h.post(t, `{ countries { edges { node { code municipalities { edges { node { id } } } } } } }`, nil), apierr.QueryTooComplex)
}
