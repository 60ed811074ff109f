package browsertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// portalPage is a page of another origin (the Hub's URL and a token in
// its query string) that calls the Hub as a
// community portal would: twice over HTTP with a bearer token (a JSON body
// and Authorization need a preflight), then over websocket. It leaves what
// happened in window.result.
const portalPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><script>
const params = new URLSearchParams(location.search);
const hub = params.get('hub'), token = params.get('token');
async function call() {
  try {
    const r = await fetch(hub + '/graphql', {method: 'POST',
      headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token},
      body: JSON.stringify({query: '{ me { email } }'})});
    return {status: r.status, body: await r.json(), requestId: r.headers.get('X-Request-ID') || ''};
  } catch (e) { return {error: String(e)}; }
}
function socket() {
  return new Promise(resolve => {
    const ws = new WebSocket(hub.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    ws.onopen = () => { ws.close(); resolve('open'); };
    ws.onerror = () => resolve('refused');
  });
}
(async () => {
  const first = await call(), second = await call(), ws = await socket();
  window.result = JSON.stringify({first, second, ws});
})();
</script></head><body>portal</body></html>`

// portalResult is what portalPage leaves in window.result.
type portalResult struct {
	First, Second portalCall
	WS            string
}

// portalCall is one call of portalPage over HTTP: the answer as the page
// could read it, or the browser's error.
type portalCall struct {
	Status int
	Error  string
	Body   struct {
		Data struct{ Me struct{ Email string } }
	}
	RequestID string
}

// startPortal serves portalPage from an origin of its own and returns
// its URL.
func startPortal(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, portalPage)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestCORSFromAnotherOrigin opens a portal page of an origin that
// --cors-origins lists and one of an origin it does not: the first reads
// the signed-in answers (its preflight answered once, then cached) and
// opens a websocket; the browser refuses both to the second.
func TestCORSFromAnotherOrigin(t *testing.T) {
	b := newBrowser(t)
	store := dbtest.Open(t, "sqlite")
	token := strings.TrimPrefix(authtest.Secretariat(t, store).Get("Authorization"), "Bearer ")
	portal := startPortal(t)
	cfg := server.DefaultConfig()
	cfg.CORS.Origins = []string{portal}
	hub, counts := startHub(t, store, cfg)
	query := "/?" + url.Values{"hub": {hub.URL}, "token": {token}}.Encode()

	t.Run("listed origin", func(t *testing.T) {
		got := visitPortal(t, b, portal+query)
		for i, c := range []portalCall{got.First, got.Second} {
			if c.Status != http.StatusOK || c.Body.Data.Me.Email == "" || c.RequestID == "" {
				t.Errorf("call %d from the listed origin: %+v", i+1, c)
			}
		}
		if got.WS != "open" {
			t.Errorf("websocket from the listed origin: %s", got.WS)
		}
		if n := counts.count(http.MethodOptions); n != 1 {
			t.Errorf("%d preflight requests for two calls; want 1 (Access-Control-Max-Age)", n)
		}
	})
	t.Run("other origin", func(t *testing.T) {
		posts := counts.count(http.MethodPost)
		got := visitPortal(t, b, startPortal(t)+query)
		if got.First.Error == "" || got.Second.Error == "" {
			t.Errorf("the browser let a page of an unlisted origin read the API: %+v", got)
		}
		if n := counts.count(http.MethodPost); n != posts {
			t.Errorf("%d POSTs reached the Hub from an unlisted origin; the preflight should stop them", n-posts)
		}
		if got.WS != "refused" {
			t.Errorf("websocket from an unlisted origin: %s", got.WS)
		}
	})
}

// visitPortal loads a portal page and returns what it did.
func visitPortal(t *testing.T, b *browser, pageURL string) portalResult {
	t.Helper()
	b.do(t, chromedp.Navigate(pageURL))
	raw := eval[string](t, b, `window.result || false`)
	var got portalResult
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("portal result %q: %v", raw, err)
	}
	return got
}
