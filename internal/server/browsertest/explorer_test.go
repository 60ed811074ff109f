package browsertest

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// explorerQuery is what the test types into the explorer.
const explorerQuery = `{ municipalities(first: 2, orderBy: {field: NAME, direction: ASC}) { totalCount edges { node { name } } } }`

// TestExplorerOffline loads GraphiQL from the Hub with every host but
// loopback unreachable, runs a query in it and checks that the result
// pane shows what the API answers, that no request left loopback and that
// the page broke no rule of its Content-Security-Policy.
func TestExplorerOffline(t *testing.T) {
	b := newBrowser(t)
	store := dbtest.Open(t, "sqlite")
	if err := seed.Demo(authz.SystemContext(context.Background()), store.Client); err != nil {
		t.Fatal(err)
	}
	hub, _ := startHub(t, store, server.DefaultConfig())
	want := gqltest.Post(t, hub.URL+"/graphql", explorerQuery, nil, nil)
	want.NoErrors(t)

	b.do(t,
		chromedp.Navigate(hub.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-execute-button")),
	)
	eval[bool](t, b, `(document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(`+jsString(explorerQuery)+`), true)`)
	b.do(t, chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
	// The settings and keyboard dialogs are where GraphiQL adds styles
	// at run time: they must open under the page's policy too.
	b.do(t, chromedp.Click(chromedp.CSS(`button[aria-label="Open settings dialog"]`)),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-dialog")))
	shown := eval[string](t, b, `(() => { const v = document.querySelector('.result-window .CodeMirror').CodeMirror.getValue(); return v.includes('totalCount') ? v : false; })()`)
	var got, expected any
	if err := json.Unmarshal([]byte(shown), &got); err != nil {
		t.Fatalf("the result pane shows %q: %v", shown, err)
	}
	_ = json.Unmarshal(want.Body, &expected)
	if gotJSON, wantJSON := canonical(got), canonical(expected); gotJSON != wantJSON {
		t.Errorf("the explorer shows\n%s\nthe API answers\n%s", gotJSON, wantJSON)
	}
	u, _ := url.Parse(hub.URL)
	b.wantOnlyFrom(t, u.Host)
	if requests, _ := b.seen(); !slices.Contains(requests, hub.URL+"/explorer/graphiql.min.js") {
		t.Errorf("the browser did not load GraphiQL from the Hub; requests: %q", requests)
	}
	if _, problems := b.seen(); len(problems) > 0 {
		t.Errorf("page problems: %q", problems)
	}
}

// canonical returns v as compact JSON with sorted keys.
func canonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// jsString returns s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return strings.TrimSpace(string(b))
}
