package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel/trace"
)

// RequestIDHeader is the header that carries the request id both ways.
const RequestIDHeader = "X-Request-ID"

// requestInfo is what the server learns about a request while serving it;
// the access log reports it.
type requestInfo struct {
	id string
	// client is the client's address (see Config.TrustedProxies).
	client string
	// plainGET is a GET that is not a protocol upgrade: it may only query.
	plainGET bool
	// operation is the GraphQL operation ("query Name"), once known.
	operation string
	// complexity is the operation's estimated cost, once known.
	complexity int
	// header is the response's header, for extensions that add to it
	// (see responseHeader).
	header http.Header
	// status is the HTTP status an extension chose for refusing the
	// request before execution, or 0 (see withRequestErrorStatus).
	status int
}

type requestInfoKey struct{}

// withRequestInfo returns ctx carrying info.
func withRequestInfo(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, info)
}

// infoFrom returns the request info in ctx, or nil.
func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

// responseHeader returns the header of the HTTP response to ctx's
// request, or nil for an operation over a websocket, whose headers are
// long gone.
func responseHeader(ctx context.Context) http.Header {
	if info := loggedInfo(ctx); info != nil {
		return info.header
	}
	return nil
}

// RequestID returns the id of the HTTP request that ctx belongs to, or ""
// outside a request.
func RequestID(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// requestID returns the client's X-Request-ID when it is sane (1 to 64
// letters, digits, '-', '_', '.' or ':'), else a new random id.
func requestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); saneID(id) {
		return id
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// saneID reports whether a client-supplied request id is safe to log and
// echo.
func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// ContextHandler wraps a slog handler so that every record logged with a
// request's context (logger.InfoContext(ctx, ...)) carries request_id,
// and trace_id when the request is traced (see telemetry.StartTracing).
func ContextHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(contextHandler); ok {
		return h
	}
	return contextHandler{h}
}

type contextHandler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h contextHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := RequestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		rec.AddAttrs(slog.String("trace_id", sc.TraceID().String()))
	}
	return h.Handler.Handle(ctx, rec)
}

// WithAttrs implements slog.Handler.
func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
