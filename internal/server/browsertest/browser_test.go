package browsertest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/testnotice"
)

// wait bounds each browser test.
const wait = 90 * time.Second

var skipOnce sync.Once

// chromiumPath returns the browser's path, or skips the test with one
// line (printed once per run) where it is missing.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	skipOnce.Do(func() {
		testnotice.Print("chromium", "browser tests skipped: chromium not found (apt-get install chromium)")
	})
	t.Skip("chromium not found")
	return ""
}

// browser is a headless chromium that records every request it makes.
type browser struct {
	// ctx is the tab's chromedp context; actions run under a deadline
	// derived from it (see do).
	ctx context.Context
	mu  sync.Mutex
	// requests are the URLs requested, in order.
	requests []string
	// problems are uncaught exceptions, console errors and CSP violations.
	problems []string
}

// newBrowser starts headless chromium. Host names resolve to nothing but
// loopback, so no request can leave the machine; requests are recorded.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	b := &browser{ctx: ctx}
	// The first action starts the browser and must not run under a
	// deadline, which would stop the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, b.listen); err != nil {
		t.Fatal(err)
	}
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	if err == nil {
		_, err = chromedp.Call(ctx, runtime.Enable, cdp.Empty{})
	}
	if err == nil {
		_, err = chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: reportViolations})
	}
	if err != nil {
		t.Fatalf("setting chromium up: %v", err)
	}
	return b
}

// reportViolations makes every Content-Security-Policy violation of a page
// a console error, which the browser reports.
const reportViolations = `document.addEventListener('securitypolicyviolation', e => {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});`

// listen records requests, uncaught exceptions and console errors.
func (b *browser) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, ev.Request.URL)
	case *runtime.EventExceptionThrown:
		b.problems = append(b.problems, exceptionText(ev.ExceptionDetails))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			for _, arg := range ev.Args {
				b.problems = append(b.problems, string(arg.Value))
			}
		}
	}
}

// seen returns the requested URLs and the problems so far.
func (b *browser) seen() (requests, problems []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.requests), slices.Clone(b.problems)
}

// do runs browser actions within wait, failing the test on error.
func (b *browser) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, wait)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		_, problems := b.seen()
		t.Fatalf("browser: %v (page problems: %q)", err, problems)
	}
}

// eval evaluates a JavaScript expression, polled until it is truthy (at
// most wait), and returns its value.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, wait)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr, chromedp.WithPollingTimeout(wait)))
	if err != nil {
		_, problems := b.seen()
		t.Fatalf("browser: evaluating %s: %v (page problems: %q)", expr, err, problems)
	}
	return v
}

// wantOnlyFrom fails unless every recorded request went to one of hosts.
func (b *browser) wantOnlyFrom(t *testing.T, hosts ...string) {
	t.Helper()
	requests, _ := b.seen()
	for _, raw := range requests {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "data" {
			continue
		}
		if !slices.Contains(hosts, u.Host) {
			t.Errorf("the page requested %s, outside %v", raw, hosts)
		}
	}
}

// startHub serves store on loopback with cfg, counting the requests of
// each method.
func startHub(t *testing.T, store *db.Store, cfg server.Config) (*httptest.Server, *methodCounter) {
	t.Helper()
	counter := &methodCounter{counts: map[string]int{}}
	srv := server.New(cfg, store, slog.New(slog.DiscardHandler))
	hs := httptest.NewServer(counter.wrap(srv.Handler()))
	t.Cleanup(hs.Close)
	return hs, counter
}

// methodCounter counts requests to /graphql by method.
type methodCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *methodCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/graphql" {
			c.mu.Lock()
			c.counts[r.Method]++
			c.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// count returns the requests to /graphql with method so far.
func (c *methodCounter) count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[method]
}

// exceptionText describes an uncaught exception.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}
