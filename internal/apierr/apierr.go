// Package apierr maps the Hub's errors to GraphQL errors that clients can
// act on: every error the API returns carries extensions.code (and, for bad
// input, extensions.field), and no internal detail such as SQL ever reaches
// a client. The mapping is a small table (see classify.go) that other
// packages extend by adding a row.
package apierr

import (
	"fmt"

	"github.com/99designs/gqlgen/graphql/errcode"
)

// Codes the API puts in extensions.code.
const (
	// BadRequest: the HTTP request itself is unusable (malformed JSON, a
	// mutation sent with GET).
	BadRequest = "BAD_REQUEST"
	// BadUserInput: an argument or input field has an unacceptable value;
	// extensions.field names it when known.
	BadUserInput = "BAD_USER_INPUT"
	// NotFound: the object named by the request does not exist.
	NotFound = "NOT_FOUND"
	// Unauthenticated: the request needs a signed-in viewer.
	Unauthenticated = "UNAUTHENTICATED"
	// Forbidden: the viewer may not do this.
	Forbidden = "FORBIDDEN"
	// TooManyRequests: the request was refused for a while (e.g. sign-ins
	// after repeated failures); extensions.retryAfter says when to retry.
	TooManyRequests = "TOO_MANY_REQUESTS"
	// Internal: anything unexpected; details are logged with the request id,
	// never sent.
	Internal = "INTERNAL_SERVER_ERROR"
	// Unavailable: the database could not be reached; the request may
	// succeed if sent again.
	Unavailable = "UNAVAILABLE"
	// Timeout: the request ran out of its time budget.
	Timeout = "TIMEOUT"
	// Canceled: the client went away before the answer was ready.
	Canceled = "CANCELED"
	// ParseFailed: the query is not valid GraphQL syntax (gqlgen's code).
	ParseFailed = errcode.ParseFailed
	// ValidationFailed: the query does not fit the schema (gqlgen's code).
	ValidationFailed = errcode.ValidationFailed
	// RequestTooLarge: the request body exceeds the server's limit.
	RequestTooLarge = "REQUEST_TOO_LARGE"
	// QueryTooLarge: the query has more tokens or selections than allowed.
	QueryTooLarge = "QUERY_TOO_LARGE"
	// QueryTooDeep: the query nests selections deeper than allowed.
	QueryTooDeep = "QUERY_TOO_DEEP"
	// TooManyAliases: the query uses more aliases than allowed.
	TooManyAliases = "TOO_MANY_ALIASES"
	// QueryTooComplex: the query's estimated cost exceeds the limit.
	QueryTooComplex = "QUERY_TOO_COMPLEX"
	// PageSizeExceeded: first, last or ids asks for more items than allowed,
	// or a negative number.
	PageSizeExceeded = "PAGE_SIZE_EXCEEDED"
	// IntrospectionDisabled: the server does not answer schema introspection.
	IntrospectionDisabled = "INTROSPECTION_DISABLED"
)

// Error is an error whose message is safe to show to clients, with the
// code (and optionally the input field) that the API reports.
type Error struct {
	// Code goes to extensions.code.
	Code string
	// Message is shown to the client as is.
	Message string
	// Field, when set, goes to extensions.field: the input field at fault,
	// named as in the GraphQL schema (camelCase).
	Field string
	// Err is the underlying error, for logs; never shown.
	Err error
	// RetryAfter, when positive, goes to extensions.retryAfter: seconds
	// until the request may succeed.
	RetryAfter int
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Extensions returns the GraphQL error extensions of e.
func (e *Error) Extensions() map[string]any {
	ext := map[string]any{"code": e.Code}
	if e.Field != "" {
		ext["field"] = e.Field
	}
	if e.RetryAfter > 0 {
		ext["retryAfter"] = e.RetryAfter
	}
	return ext
}

// New returns an Error with code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Input returns a BAD_USER_INPUT Error for the GraphQL input field (in
// camelCase) with a formatted message.
func Input(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}
