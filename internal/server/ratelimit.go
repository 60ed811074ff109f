package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"entgo.io/ent/dialect"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/ratelimit"
	"github.com/bridgesoftrust/hub/internal/server/limits"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// RateLimitConfig is the budget of query cost of each client per window
// (see internal/ratelimit): points, one per 100 of an operation's
// estimated cost and at least one per operation, refilled evenly over
// Window. A budget of 0 switches that limit off.
type RateLimitConfig struct {
	// User is the budget of each signed-in user (all their sessions).
	User int
	// APIKey is the budget of each API key.
	APIKey int
	// Anonymous is the budget of each client address without credentials.
	Anonymous int
	// Window is the time in which a spent budget refills.
	Window time.Duration
}

// inProcessClients bounds the clients whose budgets one process keeps
// on SQLite (the least recently seen are forgotten).
const inProcessClients = 100_000

// newRateLimiter returns the limiter of cfg for store: its state in the
// store on PostgreSQL, which replicas share, else in process.
func newRateLimiter(cfg RateLimitConfig, store *db.Store) (*ratelimit.Limiter, error) {
	st := ratelimit.Postgres(store.DB)
	if store.Dialect != dialect.Postgres {
		var err error
		if st, err = ratelimit.InProcess(inProcessClients); err != nil {
			return nil, err
		}
	}
	return ratelimit.New(st,
		ratelimit.Policy{Name: ratelimit.User, Points: cfg.User, Window: cfg.Window},
		ratelimit.Policy{Name: ratelimit.APIKey, Points: cfg.APIKey, Window: cfg.Window},
		ratelimit.Policy{Name: ratelimit.Anonymous, Points: cfg.Anonymous, Window: cfg.Window})
}

// rateLimit is the gqlgen extension that charges each operation's points
// to its client's budget once every other check passed, answers with the
// RateLimit headers over HTTP, and refuses an operation that would
// overdraw the budget with TOO_MANY_REQUESTS (HTTP 429 and Retry-After;
// over a websocket the error alone, with extensions.retryAfter).
type rateLimit struct {
	limiter *ratelimit.Limiter
	logger  *slog.Logger
	// charged, if set, learns of each charge (metrics).
	charged func(policy string, allowed bool)
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = rateLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (rateLimit) ExtensionName() string { return "HubRateLimit" }

// Validate implements graphql.HandlerExtension.
func (rateLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (l rateLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	cost, ok := limits.CostOf(opCtx)
	if !ok {
		return nil
	}
	policy, client := rateLimitClient(ctx)
	r, enforced, err := l.limiter.Charge(ctx, policy, client, ratelimit.Points(cost.Complexity))
	if err != nil {
		// The budget could not be read: let the operation run rather
		// than refuse every client while the database is away.
		l.logger.WarnContext(ctx, "rate limit not checked", "err", err)
		return nil
	}
	if !enforced {
		return nil
	}
	if l.charged != nil {
		l.charged(policy, r.Allowed)
	}
	if h := responseHeader(ctx); h != nil {
		r.SetHeaders(h)
	}
	if r.Allowed {
		return nil
	}
	setRequestStatus(ctx, http.StatusTooManyRequests)
	e := &apierr.Error{Code: apierr.TooManyRequests, RetryAfter: r.RetryAfterSeconds(),
		Message: "the rate limit of " + strconv.Itoa(r.Policy.Points) + " points per " + r.Policy.Window.String() +
			" is spent: retry after " + strconv.Itoa(r.RetryAfterSeconds()) + " s (see the RateLimit headers)"}
	return &gqlerror.Error{Message: e.Message, Extensions: e.Extensions(), Err: e}
}

// rateLimitClient names the budget an operation spends: its API key's,
// its user's, or its client address's.
func rateLimitClient(ctx context.Context) (policy, client string) {
	switch v := viewer.FromContext(ctx); {
	case v != nil && v.APIKeyID != 0:
		return ratelimit.APIKey, strconv.Itoa(v.APIKeyID)
	case v != nil:
		return ratelimit.User, strconv.Itoa(v.UserID)
	default:
		return ratelimit.Anonymous, auth.ClientAddress(ctx)
	}
}
