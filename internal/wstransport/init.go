package wstransport

import (
	"context"
	"errors"
	"strings"
)

// InitPayload is the payload of a connection_init message: what browser
// clients send instead of HTTP headers (connectionParams). Operations must
// not modify it.
type InitPayload map[string]any

// GetString returns the string value under key, or "" when it is missing or
// not a string.
func (p InitPayload) GetString(key string) string {
	s, _ := p[key].(string)
	return s
}

// Authorization returns the value of the "authorization" key, whatever its
// case ("Authorization", "authorization", ...), or "" when there is none. A
// nested "headers" object (as some clients send) is searched too.
func (p InitPayload) Authorization() string {
	if v := findFold(p, "authorization"); v != "" {
		return v
	}
	if h, ok := p["headers"].(map[string]any); ok {
		return findFold(h, "authorization")
	}
	return ""
}

// findFold returns the string value whose key equals key case-insensitively;
// an exact match wins over others.
func findFold(m map[string]any, key string) string {
	if s, ok := m[key].(string); ok {
		return s
	}
	for k, v := range m {
		if s, ok := v.(string); ok && strings.EqualFold(k, key) {
			return s
		}
	}
	return ""
}

// ErrAuthScheme is returned by BearerToken when the authorization value is
// not of the Bearer scheme.
var ErrAuthScheme = errors.New("unsupported authorization scheme")

// BearerToken returns the token of a "Bearer <token>" authorization value in
// the payload (the scheme compared case-insensitively). It returns "" and nil
// when there is no authorization value, and ErrAuthScheme when the value is
// not a bearer token.
func (p InitPayload) BearerToken() (string, error) {
	v := strings.TrimSpace(p.Authorization())
	if v == "" {
		return "", nil
	}
	scheme, token, ok := strings.Cut(v, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", ErrAuthScheme
	}
	return token, nil
}

// BearerAuth returns an InitFunc that passes the payload's bearer token ("" for
// an anonymous client) to authenticate, which returns the context to run the
// connection's operations in, or an error to refuse the connection (4403).
func BearerAuth(authenticate func(ctx context.Context, token string) (context.Context, error)) InitFunc {
	return func(ctx context.Context, p InitPayload) (context.Context, *InitPayload, error) {
		token, err := p.BearerToken()
		if err != nil {
			return ctx, nil, err
		}
		ctx, err = authenticate(ctx, token)
		return ctx, nil, err
	}
}

type initPayloadKey struct{}

// droppedPayload is what operations see with Config.DropInitPayload: an
// empty payload, shared by every connection (payloads are read-only).
var droppedPayload = InitPayload{}

// GetInitPayload returns the connection_init payload of the websocket
// connection an operation runs on, or nil outside one.
func GetInitPayload(ctx context.Context) InitPayload {
	p, _ := ctx.Value(initPayloadKey{}).(InitPayload)
	return p
}

func withInitPayload(ctx context.Context, p InitPayload) context.Context {
	return context.WithValue(ctx, initPayloadKey{}, p)
}
