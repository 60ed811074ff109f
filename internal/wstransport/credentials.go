package wstransport

import (
	"context"
	"errors"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// A connection authenticated at connection_init keeps its credentials for
// its whole life unless something checks them again. Two ways are offered:
//
//   - Config.Recheck runs before every operation starts, as HTTP checks
//     the credentials of every request: an operation never runs with
//     credentials that no longer hold (or changed), whatever else
//     happened;
//   - ConnFromContext, in InitFunc or an operation, returns a handle whose
//     Close ends the connection from outside, e.g. when an event says the
//     credentials changed, or when they expire (which Recheck alone would
//     not notice while a subscription idles).

// ErrUnchecked is wrapped by a Config.Recheck error when the check could
// not be made (e.g. the store failed): the operation is refused with code
// UNAVAILABLE and the connection stays open.
var ErrUnchecked = errors.New("credentials could not be checked; try again")

// Conn is a handle on one connection, to end it from outside. It is
// comparable (a map key) and safe for concurrent use.
type Conn struct{ c *conn }

type connKey struct{}

// ConnFromContext returns the connection that runs InitFunc or an
// operation with ctx; ok is false outside one.
func ConnFromContext(ctx context.Context) (_ Conn, ok bool) {
	c, ok := ctx.Value(connKey{}).(*conn)
	return Conn{c}, ok
}

// Close closes the connection with code (e.g. CloseForbidden) and reason,
// after the messages already queued; its operations are cancelled and no
// further one starts. Closing a closed connection does nothing.
func (h Conn) Close(code int, reason string) {
	if h.c != nil {
		h.c.fail(code, reason)
	}
}

// recheck runs Config.Recheck before an operation starts. It reports
// whether the operation may start; when not, it has refused the operation
// and, unless the check could not be made, closed the connection with 4403.
func (c *conn) recheck(id string) bool {
	if c.cfg.Recheck == nil {
		return true
	}
	err := c.cfg.Recheck(c.opCtx)
	if err == nil {
		return true
	}
	code := "UNAUTHENTICATED"
	if errors.Is(err, ErrUnchecked) {
		code = "UNAVAILABLE"
	}
	var gqlErr *gqlerror.Error
	if !errors.As(err, &gqlErr) {
		gqlErr = &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": code}}
	}
	c.sendErrors(id, gqlerror.List{gqlErr})
	if code != "UNAVAILABLE" {
		c.fail(CloseForbidden, err.Error())
	}
	return false
}
