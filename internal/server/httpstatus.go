package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// graphqlResponseJSON is the media type of GraphQL over HTTP's own
// responses; application/json is the legacy one.
const graphqlResponseJSON = "application/graphql-response+json"

// withRequestErrorStatus gives the answers to GraphQL requests that did
// not run (request errors: parse, validation, variable coercion, the
// server's limits and policies) the status and body that GraphQL over
// HTTP asks for, where gqlgen's transports answer differently:
//
//   - with application/json, status 200 (gqlgen: 422), as legacy clients
//     read errors only from 200 answers;
//   - with application/graphql-response+json, status 400 (as gqlgen);
//   - either way, the status an extension chose for the request (see
//     setRequestStatus: 400 for a request without a query, 405 for a
//     mutation over GET, 429 over the rate limit);
//   - no data entry (gqlgen writes "data": null), as nothing executed.
//
// gqlgen sets a status only on these answers and on bodies it could not
// decode (400, kept); an operation that ran is answered with 200 without
// WriteHeader and passes unchanged. Websocket upgrades pass untouched.
func withRequestErrorStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&requestErrorWriter{ResponseWriter: w, ctx: r.Context()}, r)
	})
}

// requestErrorWriter is the ResponseWriter of withRequestErrorStatus.
type requestErrorWriter struct {
	http.ResponseWriter
	ctx context.Context
	// refused is set once gqlgen chose a status: the body is an answer
	// without execution.
	refused bool
}

// WriteHeader implements http.ResponseWriter.
func (w *requestErrorWriter) WriteHeader(status int) {
	w.refused = true
	switch info := infoFrom(w.ctx); {
	case info != nil && info.status != 0:
		status = info.status
	case status == http.StatusUnprocessableEntity && !strings.HasPrefix(w.Header().Get("Content-Type"), graphqlResponseJSON):
		status = http.StatusOK
	case status == http.StatusUnprocessableEntity:
		status = http.StatusBadRequest
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter. gqlgen writes a response in one
// call; the data entry is dropped from one that did not execute.
func (w *requestErrorWriter) Write(b []byte) (int, error) {
	if !w.refused {
		return w.ResponseWriter.Write(b)
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(b, &resp); err != nil || !bytes.Equal(resp["data"], []byte("null")) {
		return w.ResponseWriter.Write(b)
	}
	delete(resp, "data")
	out, err := json.Marshal(resp)
	if err != nil {
		return w.ResponseWriter.Write(b)
	}
	if _, err := w.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *requestErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// setRequestStatus sets the HTTP status of the answer to ctx's request
// when an extension refuses it before execution (see
// withRequestErrorStatus). Operations over a websocket have none.
func setRequestStatus(ctx context.Context, status int) {
	if info := loggedInfo(ctx); info != nil {
		info.status = status
	}
}

// requestParams is the gqlgen extension that refuses, with 400, a request
// that carries no query (nor a persisted query's hash that the cache
// knows): GraphQL over HTTP makes query a required parameter, and its
// absence a bad HTTP request rather than a GraphQL error.
type requestParams struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = requestParams{}

// ExtensionName implements graphql.HandlerExtension.
func (requestParams) ExtensionName() string { return "HubRequestParams" }

// Validate implements graphql.HandlerExtension.
func (requestParams) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (requestParams) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if strings.TrimSpace(p.Query) != "" {
		return nil
	}
	setRequestStatus(ctx, http.StatusBadRequest)
	return refuse(apierr.BadRequest, "the request has no query: send the GraphQL document in the query parameter")
}
