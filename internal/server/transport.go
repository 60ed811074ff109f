package server

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// unsupported is the last transport: it answers requests no other
// transport takes (a POST that is not application/json, another method)
// with a BAD_REQUEST GraphQL error instead of gqlgen's uncoded one.
type unsupported struct{}

var _ graphql.Transport = unsupported{}

// Supports implements graphql.Transport.
func (unsupported) Supports(*http.Request) bool { return true }

// Do implements graphql.Transport.
func (unsupported) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	if r.Method == http.MethodPost {
		writeError(w, http.StatusUnsupportedMediaType, apierr.BadRequest,
			"send GraphQL requests as application/json")
		return
	}
	w.Header().Set("Allow", "OPTIONS, GET, POST")
	writeError(w, http.StatusMethodNotAllowed, apierr.BadRequest,
		"use GET for queries and POST for queries and mutations")
}
