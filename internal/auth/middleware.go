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
// into its context, and the client address unless the server has (see
// WithClientAddress; here the socket's address). A request with bad credentials
// is answered 401 with a GraphQL error (code UNAUTHENTICATED) and goes no
// further; a request without credentials goes on as anonymous.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if ClientAddress(ctx) == "" {
			ctx = WithClientAddress(ctx, remoteHost(r.RemoteAddr))
		}
		v, err := s.ViewerFor(ctx, r.Header.Get("Authorization"))
		if err != nil && !isAuthError(err) {
			// The store failed while checking the credential: the caller
			// is not at fault and should retry, not sign in again.
			s.logger.ErrorContext(ctx, "checking credentials", "err", err)
			writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "credentials could not be checked; try again")
			return
		}
		if err != nil {
			s.logger.InfoContext(ctx, "authentication refused", "err", err)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", err.Error())
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

// writeError answers with a GraphQL error body carrying code; a 401 also
// names the authentication scheme.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hub"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

// isAuthError reports whether err is one of the package's own, safe to show.
func isAuthError(err error) bool {
	for _, known := range []error{ErrInvalidCredentials, ErrInvalidToken, ErrExpiredToken, ErrRevokedKey, ErrDisabledUser, ErrEnded} {
		if errors.Is(err, known) {
			return true
		}
	}
	return strings.HasPrefix(err.Error(), "the Authorization header")
}
