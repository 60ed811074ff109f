package apierr

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Presenter returns the gqlgen error presenter of the API. It gives every
// error an extensions.code:
//
//   - errors that already have a code (gqlgen's parse and validation
//     errors, the server's limits, persisted-query misses) keep it;
//   - messages gqlgen writes itself about the request (e.g. an undecodable
//     JSON body) become BAD_REQUEST;
//   - errors while decoding a field's arguments become BAD_USER_INPUT;
//   - resolver errors go through Classify's table.
//
// Internal errors are logged on logger with the request's context (so the
// log line carries its request id) and answered with a generic message.
func Presenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr == nil || code(gqlErr) != "" {
			return gqlErr
		}
		var e *Error
		switch {
		case gqlErr.Err == nil:
			e = &Error{Code: BadRequest, Message: truncate(gqlErr.Message)}
		case isArgumentError(ctx):
			e = &Error{Code: BadUserInput, Field: argumentField(gqlErr.Path), Message: gqlErr.Message, Err: gqlErr.Err}
		default:
			e = Classify(ctx, gqlErr.Err)
		}
		switch {
		case e.Code == Internal && !isAPIError(gqlErr.Err):
			logger.ErrorContext(ctx, "internal error", "err", gqlErr.Err, "path", gqlErr.Path.String())
		case e.Code == Unavailable:
			logger.WarnContext(ctx, "database unavailable", "err", gqlErr.Err, "path", gqlErr.Path.String())
		}
		return present(gqlErr, e)
	}
}

// present copies e's message and extensions onto the located gqlErr.
func present(gqlErr *gqlerror.Error, e *Error) *gqlerror.Error {
	out := &gqlerror.Error{
		Message:    e.Message,
		Path:       gqlErr.Path,
		Locations:  gqlErr.Locations,
		Extensions: e.Extensions(),
		Err:        e,
	}
	return out
}

// maxMessage bounds messages taken from gqlgen, which may quote the
// whole request body.
const maxMessage = 300

// truncate shortens msg to maxMessage bytes, on a rune boundary.
func truncate(msg string) string {
	if len(msg) <= maxMessage {
		return msg
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "..."
}

// code returns the extensions.code of gqlErr, or "".
func code(gqlErr *gqlerror.Error) string {
	c, _ := gqlErr.Extensions["code"].(string)
	return c
}

// isAPIError reports whether err is (or wraps) an *Error, whose creator
// chose the code and did any logging.
func isAPIError(err error) bool {
	_, ok := errors.AsType[*Error](err)
	return ok
}

// isArgumentError reports whether the error being presented arose while
// gqlgen decoded the current field's arguments (e.g. a malformed cursor or
// time). gqlgen's generated code leaves FieldContext.Args nil exactly when
// that decoding fails; a field whose resolver ran has a non-nil map.
func isArgumentError(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	return fc != nil && fc.Args == nil && len(fc.Field.Arguments) > 0
}

// argumentField returns the input field at fault in an argument decoding
// error: the last name in its path, e.g. nameTranslations for the path
// createCountry.input.nameTranslations, or id for deleteCountry.id. It
// returns "" when the path names only the field being resolved.
func argumentField(path ast.Path) string {
	for i := len(path) - 1; i > 0; i-- {
		if name, ok := path[i].(ast.PathName); ok {
			return string(name)
		}
	}
	return ""
}

// Recover returns the gqlgen recover function of the API: a panic in a
// resolver is logged with its stack and answered as an internal error, and
// the server goes on.
func Recover(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return &Error{Code: Internal, Message: "internal server error", Err: fmt.Errorf("panic: %v", v)}
	}
}

// Sanitize makes sure a response that bypassed the presenter (e.g. an
// error written by an extension straight into the response, such as a
// transaction that could not be opened) leaks no detail: errors without a
// code become TIMEOUT when ctx's deadline has passed, else they are logged
// and replaced by a generic internal error. It returns resp.
func Sanitize(ctx context.Context, logger *slog.Logger, resp *graphql.Response) *graphql.Response {
	if resp == nil {
		return nil
	}
	for i, gqlErr := range resp.Errors {
		if code(gqlErr) != "" {
			continue
		}
		e := &Error{Code: Internal, Message: "internal server error"}
		if ctx.Err() != nil {
			e = Classify(ctx, ctx.Err())
		} else {
			logger.ErrorContext(ctx, "internal error", "err", gqlErr.Message, "path", gqlErr.Path.String())
		}
		resp.Errors[i] = present(gqlErr, e)
	}
	return resp
}
