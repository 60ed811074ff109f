package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/bridgesoftrust/hub/internal/viewer"
)

type addressKey struct{}

// ClientAddress returns the client address the middleware recorded.
func ClientAddress(ctx context.Context) string {
	addr, _ := ctx.Value(addressKey{}).(string)
	return addr
}

// WithClientAddress returns ctx carrying the client's address.
func WithClientAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addressKey{}, addr)
}

// BearerToken extracts the token of an "Authorization: Bearer <token>"
// value; ok is false when there is no such value.
func BearerToken(header string) (token string, ok bool) {
	scheme, token, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", header != ""
	}
	return strings.TrimSpace(token), true
}

// ViewerFor authenticates an Authorization header value; an empty value is
// an anonymous viewer (nil, nil).
func (s *Service) ViewerFor(ctx context.Context, authorization string) (*viewer.Viewer, error) {
	token, present := BearerToken(authorization)
	if !present {
		return nil, nil
	}
	if token == "" {
		return nil, errors.New("the Authorization header must be \"Bearer <token>\"")
	}
	return s.Authenticate(ctx, token)
}

// Middleware authenticates each request's bearer token and puts the viewer
// and the client address into its context. A request with bad credentials
// is answered 401 with a GraphQL error (code UNAUTHENTICATED) and goes no
// further; a request without credentials goes on as anonymous.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := WithClientAddress(r.Context(), remoteHost(r.RemoteAddr))
		v, err := s.ViewerFor(ctx, r.Header.Get("Authorization"))
		if err != nil {
			s.logger.InfoContext(ctx, "authentication refused", "err", err)
			writeUnauthenticated(w, err)
			return
		}
		if v != nil {
			ctx = viewer.NewContext(ctx, v)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func remoteHost(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}

// PublicError returns err if its message is safe to show the client (one of
// the package's own), else a generic authentication error, so that database
// errors never reach clients.
func PublicError(err error) error {
	if isAuthError(err) {
		return err
	}
	return errors.New("authentication failed")
}

// writeUnauthenticated answers with a GraphQL error body and status 401.
func writeUnauthenticated(w http.ResponseWriter, err error) {
	msg := PublicError(err).Error()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="hub"`)
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": "UNAUTHENTICATED"}}},
	})
}

// isAuthError reports whether err is one of the package's own, safe to show.
func isAuthError(err error) bool {
	for _, known := range []error{ErrInvalidCredentials, ErrInvalidToken, ErrExpiredToken, ErrRevokedKey, ErrDisabledUser} {
		if errors.Is(err, known) {
			return true
		}
	}
	return strings.HasPrefix(err.Error(), "the Authorization header")
}
