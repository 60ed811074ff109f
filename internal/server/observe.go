package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/bridgesoftrust/hub/internal/server/limits"
	"github.com/bridgesoftrust/hub/internal/telemetry"
)

// observe is the gqlgen extension that records every GraphQL answer in
// the metrics (operation type and name, outcome, time, cost) and runs
// each operation in a trace span of its own, under the HTTP request's
// span and above the SQL statements' (see telemetry).
type observe struct{ metrics *telemetry.Metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = observe{}

// ExtensionName implements graphql.HandlerExtension.
func (observe) ExtensionName() string { return "HubObserve" }

// Validate implements graphql.HandlerExtension.
func (observe) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor: the span of
// a query or mutation lasts until its answer, a subscription's until it
// started; a subscription counts in the metrics when it starts, with the
// outcome "started".
func (o observe) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	typ, name := operationOf(ctx)
	if typ == "subscription" {
		defer o.record(ctx, "started")
	}
	ctx, span := telemetry.Tracer().Start(ctx, strings.TrimSpace(typ+" "+name), trace.WithAttributes(
		attribute.String("graphql.operation.type", typ), attribute.String("graphql.operation.name", name)))
	if cost, ok := limits.CostOf(graphql.GetOperationContext(ctx)); ok {
		span.SetAttributes(attribute.Int("hub.graphql.cost", cost.Complexity))
	}
	responses := next(ctx)
	if typ == "subscription" {
		span.End()
		return responses
	}
	first := true
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if first {
			first = false
			if resp != nil && len(resp.Errors) > 0 {
				span.SetStatus(codes.Error, errorCode(resp))
			}
			span.End()
		}
		return resp
	}
}

// InterceptResponse implements graphql.ResponseInterceptor: it records
// each answer but a subscription's events (see InterceptOperation),
// including requests refused before they ran.
func (o observe) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if typ, _ := operationOf(ctx); typ == "subscription" || !graphql.HasOperationContext(ctx) {
		return resp
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = errorCode(resp)
	}
	o.record(ctx, outcome)
	return resp
}

// record records ctx's operation with outcome in the metrics.
func (o observe) record(ctx context.Context, outcome string) {
	opCtx := graphql.GetOperationContext(ctx)
	typ, name := operationOf(ctx)
	cost := -1
	if c, ok := limits.CostOf(opCtx); ok {
		cost = c.Complexity
	}
	start := opCtx.Stats.OperationStart
	if start.IsZero() {
		start = opCtx.Stats.Read.Start
	}
	o.metrics.Operation(typ, name, outcome, time.Since(start), cost)
}

// operationOf returns the type and name of ctx's operation, "" if unknown
// (e.g. a request that did not parse).
func operationOf(ctx context.Context) (typ, name string) {
	if !graphql.HasOperationContext(ctx) {
		return "", ""
	}
	opCtx := graphql.GetOperationContext(ctx)
	if opCtx.Operation != nil {
		return string(opCtx.Operation.Operation), opCtx.Operation.Name
	}
	return "", opCtx.OperationName
}

// errorCode returns the code of a response's first error, "error" if it
// has none.
func errorCode(resp *graphql.Response) string {
	if code, ok := resp.Errors[0].Extensions["code"].(string); ok && code != "" {
		return code
	}
	return "error"
}

// withTracing runs each HTTP request in a trace span (otelhttp), continuing
// a trace whose context the client sent (traceparent), when traces are
// exported (telemetry.StartTracing ran first, as hub serve does). Without
// an exporter the spans would go nowhere, and otelhttp's wrapping of each
// request still cost about 2 % of the server's processor time on a
// municipality's page.
func withTracing(next http.Handler) http.Handler {
	if !telemetry.Exporting() {
		return next
	}
	return otelhttp.NewHandler(next, "http", otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
		return r.Method + " " + route(r)
	}))
}

// route names the route of a request for metrics and span names, from a
// fixed set (paths are client-chosen).
func route(r *http.Request) string {
	switch p := r.URL.Path; {
	case p == "/graphql", p == "/healthz", p == "/readyz", p == "/":
		return p
	case strings.HasPrefix(p, "/explorer/"):
		return "/explorer/"
	default:
		return "other"
	}
}
