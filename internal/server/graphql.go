package server

import (
	"context"
	"github.com/bridgesoftrust/hub/internal/gqlexec"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/graph"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/server/limits"
	"github.com/bridgesoftrust/hub/internal/viewer"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// maxCachedQuery bounds the length of a query that the query and APQ
// caches keep, so that a full cache stays small (entries x 64 KiB).
const maxCachedQuery = 64 << 10

// newGraphQL assembles the gqlgen handler: transports, caches, error
// presentation, limits, the per-request timeout and one transaction per
// mutation. Extensions run in the order they are added.
func newGraphQL(cfg Config, store *db.Store, schema graphql.ExecutableSchema, ws graphql.Transport, logger *slog.Logger, o options) *handler.Server {
	srv := handler.New(schema)
	srv.AddTransport(ws) // upgrade requests only; tried first
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(postJSON{})
	// File uploads: parts up to 1 MiB stay in memory, larger ones go to
	// temporary files that gqlgen removes after the request.
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: cfg.MaxUploadBytes, MaxMemory: 1 << 20})
	srv.AddTransport(unsupported{})

	queryCache := newCache[*ast.QueryDocument](cfg.QueryCacheSize)
	srv.SetQueryCache(queryCache)
	srv.SetParserTokenLimit(cfg.MaxTokens)
	srv.SetErrorPresenter(apierr.Presenter(logger))
	srv.SetRecoverFunc(apierr.Recover(logger))
	// Field suggestions ("did you mean ...") would reveal the schema that
	// disabled introspection hides.
	srv.SetDisableSuggestion(!cfg.Introspection)
	if !cfg.Introspection {
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}

	lim := cfg.limits()
	srv.Use(extension.AutomaticPersistedQuery{Cache: newCache[string](cfg.APQCacheSize)})
	srv.Use(requestParams{})
	srv.Use(limits.Shape{Limits: lim, Cache: queryCache})
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(policy{introspection: cfg.Introspection})
	srv.Use(listCoercion{})
	srv.Use(&limits.Cost{Limits: lim, Record: noteCost})
	srv.Use(&limits.Input{Limits: lim})
	srv.Use(gqlexec.OperationCache{})
	srv.AroundOperations(operationMiddleware(cfg.RequestTimeout))
	srv.AroundOperations(graph.Loaders())
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return apierr.Sanitize(ctx, logger, next(ctx))
	})
	srv.Use(ownTransactions{})
	srv.Use(newTransactioner(store.Client))
	for _, e := range o.extensions {
		srv.Use(e)
	}
	return srv
}

// operationMiddleware notes the operation for the access log, lets a
// mutation change its viewer and runs queries and mutations under a
// deadline. Subscriptions are long-lived
// and get none.
func operationMiddleware(timeout time.Duration) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		opCtx := graphql.GetOperationContext(ctx)
		noteOperation(ctx, opCtx)
		ctx = withoutPathContext(ctx)
		if opCtx.Operation == nil || opCtx.Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		if opCtx.Operation.Operation == ast.Mutation {
			// login and logout change who the viewer is for the rest of
			// the operation (viewer.Switch).
			ctx = viewer.WithSwitch(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		responses := next(ctx)
		first := true
		return func(ctx context.Context) *graphql.Response {
			if !first {
				return responses(ctx)
			}
			first = false
			defer cancel()
			resp := responses(ctx)
			if resp == nil && ctx.Err() != nil {
				// gqlgen gives no response when the deadline passed or
				// the client went away before execution began; say why.
				return &graphql.Response{Errors: gqlerror.List{stoppedError(ctx)}}
			}
			return resp
		}
	}
}

// withoutPathContext records at the operation that no input path context
// is set above it. gqlgen looks one up (graphql.GetPath) for every object it
// marshals; absent, the lookup walks the whole context chain, which for a
// websocket subscription is long (the HTTP request's, the connection's and
// the operation's values): measured, a fifth of the time spent marshalling
// each post of postAdded. A nil *graphql.PathContext answers "none" here.
func withoutPathContext(ctx context.Context) context.Context {
	if graphql.GetPathContext(ctx) != nil {
		return ctx
	}
	return graphql.WithPathContext(ctx, nil)
}

// stoppedError is the error of a request whose context ended: TIMEOUT
// when it ran out of time, CANCELED when its client went away.
func stoppedError(ctx context.Context) *gqlerror.Error {
	e := apierr.Classify(ctx, ctx.Err())
	return &gqlerror.Error{Message: e.Message, Extensions: e.Extensions(), Err: e}
}

// noteOperation records the operation for the access log.
func noteOperation(ctx context.Context, opCtx *graphql.OperationContext) {
	info := loggedInfo(ctx)
	if info == nil || opCtx.Operation == nil {
		return
	}
	info.operation = string(opCtx.Operation.Operation)
	if name := opCtx.Operation.Name; name != "" {
		info.operation += " " + name
	}
}

// noteCost records an operation's estimated cost for the access log.
func noteCost(ctx context.Context, s limits.Stats) {
	if info := loggedInfo(ctx); info != nil {
		info.complexity = s.Complexity
	}
}

// loggedInfo returns the request info whose access log line notes the
// operation of ctx, or nil: operations over a websocket share their
// upgrade request's info and run concurrently, so they are not noted.
func loggedInfo(ctx context.Context) *requestInfo {
	if wstransport.GetInitPayload(ctx) != nil {
		return nil
	}
	return infoFrom(ctx)
}
