package server

import (
	"net/http"
	"time"

	"github.com/rs/cors"
)

// CORSConfig lets pages of other origins (a community portal served from
// its own host) call the API from the browser.
type CORSConfig struct {
	// Origins are the origins (scheme://host[:port]) whose pages may call
	// /graphql; "*" allows any. Empty: none but the Hub's own pages.
	Origins []string
	// MaxAge is how long a browser may keep a preflight's answer.
	MaxAge time.Duration
}

// corsHeaders are the request headers a page may send: the JSON body's
// type, the bearer token and a request id of its own.
var corsHeaders = []string{"Content-Type", "Authorization", RequestIDHeader}

// exposedHeaders are the response headers a page may read besides the
// CORS-safelisted ones: the request id and the rate limit's state.
var exposedHeaders = []string{RequestIDHeader, "RateLimit", "RateLimit-Policy", "Retry-After"}

// withCORS answers preflight requests from the configured origins and
// adds the CORS headers to their requests (rs/cors). The Hub
// authenticates with a bearer token that the page sends in Authorization,
// never with cookies, so no response allows credentials
// (Access-Control-Allow-Credentials): a page has nothing to gain from
// them and another site's page could not borrow a signed-in user's
// session even from a listed origin.
func withCORS(cfg CORSConfig, next http.Handler) http.Handler {
	if len(cfg.Origins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins: cfg.Origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: corsHeaders,
		ExposedHeaders: exposedHeaders,
		MaxAge:         int(cfg.MaxAge / time.Second),
	}).Handler(next)
}
