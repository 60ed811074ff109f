package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/credwatch"
	"github.com/bridgesoftrust/hub/internal/viewer"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// wsCredentials keeps the credentials of websocket connections live for
// their whole life (docs/realtime.md, "Credentials for the life of a
// connection"): connection_init authenticates the token and watches the
// credential it stands for (credwatch closes the connection with 4403
// when it ends or changes), and every operation checks it again first.
type wsCredentials struct {
	auth    *auth.Service
	watcher *credwatch.Watcher
}

// newWSCredentials checks the credentials of open connections with
// authService, all of them every interval.
func newWSCredentials(authService *auth.Service, interval time.Duration, logger *slog.Logger) *wsCredentials {
	return &wsCredentials{auth: authService, watcher: credwatch.New(authService, logger, interval)}
}

// errChanged refuses an operation of a connection whose credential stands
// for other access than when the connection was authenticated.
var errChanged = errors.New(credwatch.ReasonChanged)

// init is the transport's InitFunc: it authenticates the bearer token of
// the connection_init payload and watches its credential.
func (c *wsCredentials) init(ctx context.Context, p wstransport.InitPayload) (context.Context, *wstransport.InitPayload, error) {
	mark := c.watcher.Mark()
	// The lookup is short; run under the connection's cancellation, its
	// query would leave that context with a set of children and a channel
	// for the connection's whole life.
	v, err := c.auth.ViewerFor(context.WithoutCancel(ctx), p.Authorization())
	if err != nil {
		return ctx, nil, auth.PublicError(err)
	}
	if v == nil {
		return ctx, nil, nil
	}
	if conn, ok := wstransport.ConnFromContext(ctx); ok {
		c.watcher.Watch(conn, v, mark)
	}
	return viewer.NewContext(ctx, v), nil, nil
}

// closed is the transport's OnClose: the connection is no longer watched.
func (c *wsCredentials) closed(ctx context.Context, _ int, _ string) {
	v := viewer.FromContext(ctx)
	if conn, ok := wstransport.ConnFromContext(ctx); ok && v != nil {
		c.watcher.Forget(conn, v)
	}
}

// recheck is the transport's Recheck: before an operation starts, the
// connection's credential must still hold and stand for the same access,
// as HTTP checks each request's (a use of the credential: a session is
// renewed).
func (c *wsCredentials) recheck(ctx context.Context) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil
	}
	// As in init: not under the connection's cancellation, which the
	// queries would leave with children and a channel.
	now, err := c.auth.Reauthenticate(context.WithoutCancel(ctx), auth.CredentialOf(v))
	switch {
	case auth.Refused(err):
		return err
	case err != nil:
		return fmt.Errorf("%w: %w", wstransport.ErrUnchecked, err)
	case !v.SameAccess(now):
		return errChanged
	}
	return nil
}
