package apierr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql/sqlgraph"
	"entgo.io/ent/privacy"
	"github.com/lib/pq"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// A Rule recognises one kind of error and says how the API reports it. It
// returns nil for errors of other kinds.
type Rule func(ctx context.Context, err error) *Error

// rules is the mapping table, tried in order; the first rule that answers
// wins and anything no rule answers is an internal error. To teach the API
// a new kind of error, add a row here.
var rules = []Rule{
	asAPIError,
	authError,
	throttled,
	fieldError,
	emptyFilter,
	entValidationError,
	notFoundError,
	constraintError,
	privacyDenied,
	contextError,
	unavailable,
}

// Classify returns how the API reports err. Errors that no rule knows are
// reported as INTERNAL_SERVER_ERROR with a generic message; the returned
// Error wraps err so the caller can log it.
func Classify(ctx context.Context, err error) *Error {
	for _, rule := range rules {
		if e := rule(ctx, err); e != nil {
			return e
		}
	}
	return &Error{Code: Internal, Message: "internal server error", Err: err}
}

// asAPIError passes errors that already are API errors through.
func asAPIError(_ context.Context, err error) *Error {
	if e, ok := errors.AsType[*Error](err); ok {
		return e
	}
	return nil
}

// fieldError reports validation.FieldError, raised by the Ent hooks.
func fieldError(ctx context.Context, err error) *Error {
	fe, ok := errors.AsType[*validation.FieldError](err)
	if !ok {
		return nil
	}
	name := inputName(ctx, GraphQLName(fe.Field))
	return &Error{Code: BadUserInput, Field: name, Message: fmt.Sprintf("%s: %v", name, fe.Err), Err: err}
}

// emptyFilter reports a where input object with no condition (e.g.
// hasTopicWith: [{}]), which entgql refuses.
func emptyFilter(_ context.Context, err error) *Error {
	if !strings.Contains(err.Error(), "ent: empty predicate ") {
		return nil
	}
	return &Error{Code: BadUserInput, Field: "where",
		Message: "a filter object has no condition; give one or leave the object out", Err: err}
}

// entValidationError reports Ent's own field and edge validation.
func entValidationError(_ context.Context, err error) *Error {
	ve, ok := errors.AsType[*ent.ValidationError](err)
	if !ok {
		return nil
	}
	name := GraphQLName(ve.Name)
	msg := ve.Error()
	if strings.Contains(msg, "missing required edge") {
		name += "ID"
	}
	if strings.Contains(msg, "missing required") {
		return &Error{Code: BadUserInput, Field: name, Message: name + " is required", Err: err}
	}
	// Ent wraps the validator's own error as `ent: validator failed for
	// field "T.f": <reason>`; the reason is what the client needs.
	reason := errors.Unwrap(errors.Unwrap(ve))
	if reason == nil {
		reason = errors.New(strings.TrimPrefix(msg, "ent: "))
	}
	return &Error{Code: BadUserInput, Field: name, Message: fmt.Sprintf("%s: %v", name, reason), Err: err}
}

// notFoundError reports Ent's not-found errors.
func notFoundError(_ context.Context, err error) *Error {
	nf, ok := errors.AsType[*ent.NotFoundError](err)
	if !ok {
		return nil
	}
	return &Error{Code: NotFound, Message: strings.TrimPrefix(nf.Error(), "ent: "), Err: err}
}

// constraintError reports unique and foreign-key violations as bad input
// with a message that says what conflicts, never the SQL error.
func constraintError(ctx context.Context, err error) *Error {
	if !ent.IsConstraintError(err) {
		return nil
	}
	msg := "the change conflicts with existing data"
	switch {
	case sqlgraph.IsUniqueConstraintError(err):
		msg = "an object with these values already exists"
	case sqlgraph.IsForeignKeyConstraintError(err) && isDelete(ctx):
		msg = "the object is still referenced by other objects; remove or reassign them first"
	case sqlgraph.IsForeignKeyConstraintError(err):
		msg = "the input refers to an object that does not exist"
	}
	return &Error{Code: BadUserInput, Message: msg, Err: err}
}

// isDelete reports whether the field being resolved is a delete mutation,
// by the Hub's naming convention (deleteX).
func isDelete(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	return fc != nil && fc.Object == "Mutation" && strings.HasPrefix(fc.Field.Name, "delete")
}

// privacyDenied reports Ent privacy denials: UNAUTHENTICATED for a caller
// who is not signed in, FORBIDDEN otherwise, with the rule's reason.
func privacyDenied(ctx context.Context, err error) *Error {
	if !errors.Is(err, privacy.Deny) {
		return nil
	}
	if viewer.FromContext(ctx) == nil {
		return &Error{Code: Unauthenticated, Message: "sign in to do this", Err: err}
	}
	reason := "you are not allowed to do this"
	if denied := (*authz.DenyError)(nil); errors.As(err, &denied) {
		reason = denied.Reason
	}
	return &Error{Code: Forbidden, Message: reason, Err: err}
}

// authError reports refused credentials and sign-ins.
func authError(_ context.Context, err error) *Error {
	for _, known := range []error{auth.ErrInvalidCredentials, auth.ErrInvalidToken, auth.ErrExpiredToken,
		auth.ErrRevokedKey, auth.ErrDisabledUser, auth.ErrNotSignedIn} {
		if errors.Is(err, known) {
			return &Error{Code: Unauthenticated, Message: known.Error(), Err: err}
		}
	}
	return nil
}

// throttled reports a sign-in refused after too many failures, saying when
// to retry (extensions.retryAfter, in seconds).
func throttled(_ context.Context, err error) *Error {
	var tooMany *auth.TooManyAttemptsError
	if !errors.As(err, &tooMany) {
		return nil
	}
	return &Error{Code: TooManyRequests, Message: tooMany.Error(), Err: err,
		RetryAfter: max(int(time.Until(tooMany.RetryAt).Seconds()+0.999), 1)}
}

// isQueryCanceled reports PostgreSQL's "canceling statement due to user
// request" (57014), which lib/pq returns when a client goes away mid-query.
func isQueryCanceled(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "57014"
}

// contextError reports deadlines and cancellations.
func contextError(_ context.Context, err error) *Error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: Timeout, Message: "the request took longer than the server allows", Err: err}
	case errors.Is(err, context.Canceled), isQueryCanceled(err):
		return &Error{Code: Canceled, Message: "the request was canceled", Err: err}
	}
	return nil
}

// unavailable reports a database that could not be reached or dropped the
// connection (after the one retry that internal/db makes where it is
// safe): the client may try again.
func unavailable(_ context.Context, err error) *Error {
	if !db.IsConnectionError(err) {
		return nil
	}
	return &Error{Code: Unavailable, Message: "the database is unavailable; try again shortly", Err: err}
}
