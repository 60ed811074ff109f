package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"time"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/clientip"
	"github.com/bridgesoftrust/hub/internal/telemetry"
)

// withRequest gives each request an id (X-Request-ID in and out), keeps
// its info and its client's address (auth.ClientAddress) in the context,
// recovers panics, writes the access log line and counts the request in
// the metrics.
func withRequest(logger *slog.Logger, clients *clientip.Resolver, metrics *telemetry.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		upgrade := r.Header.Get("Upgrade") != ""
		info := &requestInfo{
			id:       requestID(r),
			client:   clients.Address(r),
			plainGET: r.Method == http.MethodGet && !upgrade,
		}
		if !upgrade {
			// A websocket's operations run long after its handshake's
			// response: they have no header to add to (responseHeader),
			// and each open connection would keep the map.
			info.header = w.Header()
		}
		ctx := auth.WithClientAddress(withRequestInfo(r.Context(), info), info.client)
		w.Header().Set(RequestIDHeader, info.id)
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(ctx, "panic in HTTP handler", "panic", fmt.Sprint(v))
				if rec.status == 0 {
					writeError(rec, http.StatusInternalServerError, apierr.Internal, "internal server error")
				}
			}
			accessLog(logger, r.WithContext(ctx), rec, info, time.Since(start))
			metrics.HTTP(route(r), rec.statusCode())
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// accessLog writes one line per request; probes log at debug level.
func accessLog(logger *slog.Logger, r *http.Request, rec *recorder, info *requestInfo, took time.Duration) {
	level := slog.LevelInfo
	if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
		level = slog.LevelDebug
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", rec.statusCode()),
		slog.Int64("bytes", rec.bytes),
		slog.Duration("took", took),
		slog.String("remote", r.RemoteAddr),
		slog.String("client", info.client),
	}
	if info.operation != "" {
		attrs = append(attrs, slog.String("operation", info.operation), slog.Int("complexity", info.complexity))
	}
	logger.LogAttrs(r.Context(), level, "request", attrs...)
}

// apiContentSecurityPolicy is the policy of every answer but the
// explorer's (which sets its own, explorer.ContentSecurityPolicy): JSON
// loads nothing, and no page may frame it.
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"

// withSecurityHeaders sets headers that make browsers treat the answers
// strictly.
func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", apiContentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}

// withBodyLimit reads at most limit bytes of the body before the GraphQL
// handler sees it, answering 413 with a REQUEST_TOO_LARGE GraphQL error
// for larger bodies. A multipart request (file uploads) may be up to
// upload bytes; it is streamed, not read here, gqlgen's multipart
// transport bounding it again as it parses.
func withBodyLimit(limit, upload int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		if isMultipart(r) {
			limit = upload
			if r.ContentLength <= limit {
				r.Body = http.MaxBytesReader(w, r.Body, limit)
				next.ServeHTTP(w, r)
				return
			}
		}
		tooLarge := fmt.Sprintf("the request body is larger than the limit of %d bytes", limit)
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, apierr.RequestTooLarge, tooLarge)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeError(w, http.StatusRequestEntityTooLarge, apierr.RequestTooLarge, tooLarge)
			return
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, apierr.BadRequest, "the request body could not be read")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// isMultipart reports whether r is a multipart/form-data request.
func isMultipart(r *http.Request) bool {
	t, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return t == "multipart/form-data"
}

// writeError answers with a GraphQL error response outside gqlgen.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}},
	})
}

// recorder remembers the status and size of a response. It passes
// Flush and Hijack through for streaming and websocket transports.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader implements http.ResponseWriter.
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// statusCode returns the status sent (200 if the handler wrote nothing).
func (r *recorder) statusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush implements http.Flusher.
func (r *recorder) Flush() { _ = http.NewResponseController(r.ResponseWriter).Flush() }

// Hijack implements http.Hijacker (websocket upgrades).
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if r.status == 0 {
		r.status = http.StatusSwitchingProtocols
	}
	return http.NewResponseController(r.ResponseWriter).Hijack()
}
