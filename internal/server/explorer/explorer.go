// Package explorer serves the GraphiQL explorer from files embedded in the
// binary (GraphiQL and React at the versions README.md names, with their
// licences), so that the page loads with no request leaving the machine
// that runs the browser and the Hub.
package explorer

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

// assets holds the page, its start script and the third-party files;
// update.sh replaces the latter.
//
//go:embed assets
var assets embed.FS

// ContentSecurityPolicy is the policy of the explorer's page: scripts,
// styles and requests only to the Hub's own origin (and its websocket),
// fonts and images also from the data: URLs of GraphiQL's stylesheet, no
// framing by any other page. No script runs inline; styles may, as
// GraphiQL's dialogs add a <style> element when they open (the browser
// test opens one).
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Prefix is the path under which Handler serves the explorer's files; the
// page itself is served wherever the caller mounts Handler's Page.
const Prefix = "/explorer/"

type file struct {
	body []byte
	etag string
}

// files are the embedded files by name, with their entity tags.
var files = func() map[string]file {
	m := map[string]file{}
	entries, err := fs.ReadDir(assets, "assets")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		body, err := assets.ReadFile("assets/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		m[e.Name()] = file{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	}
	return m
}()

// Page serves the explorer's HTML page, for GET / (the Hub mounts it
// there) with the Content-Security-Policy.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "index.html")
	})
}

// Files serves the explorer's scripts, stylesheets and licences under
// Prefix (e.g. /explorer/graphiql.min.js, /explorer/LICENSE.react).
func Files() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		if name == "index.html" {
			http.NotFound(w, r)
			return
		}
		serve(w, r, name)
	})
}

// serve answers with the embedded file name, revalidated by its entity
// tag on every load (the names carry no version) and never sniffed.
func serve(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	if path.Ext(name) == "" {
		h.Set("Content-Type", "text/plain; charset=utf-8") // the LICENSE files
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
}
