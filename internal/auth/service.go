// Package auth signs people in and recognises them on each request:
// passwords (argon2id), sessions and API keys (random bearer tokens stored
// only as hashes), throttling of failed sign-ins, and the HTTP middleware
// that puts the viewer into the request's context. What a viewer may do is
// decided elsewhere, by the Ent privacy policies (internal/authz).
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/apikey"
	"github.com/bridgesoftrust/hub/ent/session"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Config sets the lifetime of sessions and the login throttle.
type Config struct {
	// SessionTTL is how long a session lasts without use; each use renews
	// it (sliding expiry) once half of it has passed.
	SessionTTL time.Duration
	Throttle   ThrottleConfig
}

// DefaultConfig gives sessions of 7 days and the default throttle.
func DefaultConfig() Config {
	return Config{SessionTTL: 7 * 24 * time.Hour, Throttle: DefaultThrottle()}
}

// Errors of authentication. The API answers them with UNAUTHENTICATED.
var (
	ErrInvalidCredentials = errors.New("the e-mail address or the password is wrong")
	ErrInvalidToken       = errors.New("the bearer token is not valid; sign in again")
	ErrExpiredToken       = errors.New("the bearer token has expired; sign in again")
	ErrRevokedKey         = errors.New("this API key has been revoked")
	ErrDisabledUser       = errors.New("this account is disabled")
	ErrNotSignedIn        = errors.New("sign in first")
)

// TooManyAttemptsError refuses a sign-in after too many failures.
type TooManyAttemptsError struct {
	// RetryAt is when the next attempt will be considered.
	RetryAt time.Time
}

// Error implements error.
func (e *TooManyAttemptsError) Error() string {
	wait := max(time.Until(e.RetryAt).Round(time.Second), time.Second)
	return fmt.Sprintf("too many failed sign-ins; try again in %s (after %s)", wait, e.RetryAt.UTC().Format(time.RFC3339))
}

// Service authenticates users against the store.
type Service struct {
	client   *ent.Client
	cfg      Config
	throttle counter
	logger   *slog.Logger
	now      func() time.Time
	// verify checks a password against a hash (tests count its calls).
	verify func(password, hash string) bool
	// checks holds a token per password check running (see verifyPassword).
	checks chan struct{}
}

// Option configures a Service.
type Option func(*Service)

// SharedThrottle keeps the sign-in throttle's counts in the store (the
// login_failures table, under PostgreSQL advisory locks), so that every
// replica serving one PostgreSQL database counts the same failures.
// Without it the counts live in the process, which suits SQLite: one
// process owns the store. For PostgreSQL stores only.
func SharedThrottle() Option {
	return func(s *Service) { s.throttle = newStoreCounter(s.client, s.cfg.Throttle.Window) }
}

// New returns a Service over client.
func New(client *ent.Client, cfg Config, logger *slog.Logger, opts ...Option) *Service {
	s := &Service{client: client, cfg: cfg, throttle: newMemoryCounter(cfg.Throttle.Window), logger: logger, now: time.Now, verify: VerifyPassword,
		checks: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// db returns the transaction's client when ctx carries one (a GraphQL
// mutation), so that the Service's writes commit or roll back with it.
func (s *Service) db(ctx context.Context) *ent.Client {
	if tx := ent.FromContext(ctx); tx != nil {
		return tx
	}
	return s.client
}

// Session is the result of a successful sign-in.
type Session struct {
	// Token is the bearer token; it is shown only now.
	Token     string
	ExpiresAt time.Time
	User      *ent.User
	// Viewer is who requests with Token are made by.
	Viewer *viewer.Viewer
}

// Login checks an e-mail address and password and opens a session. Failed
// attempts are limited per account and per client address (an attempt
// counts as failed from its start until the password proves right, so
// that concurrent guesses cannot exceed the limits); the error does not
// say whether the address has an account.
//
// Login must run outside a transaction (the GraphQL mutation does, see
// graph.OwnTransactions): checking the password takes tens of
// milliseconds of argon2id, during which SQLite's write lock would stop
// every other writer. Its only write is the new session's row.
func (s *Service) Login(ctx context.Context, email, password, clientAddress string) (*Session, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	account, address := accountKey(email), "address:"+clientAddress
	at, err := s.beginAttempt(ctx, limit{account, s.cfg.Throttle.PerAccount}, limit{address, s.cfg.Throttle.PerAddress})
	if err != nil {
		return nil, err
	}
	u, err := s.checkPassword(ctx, email, password)
	if errors.Is(err, errRefused) {
		s.logger.InfoContext(ctx, "sign-in failed", "client", clientAddress, "reason", err)
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		// The store failed: not a wrong guess, so not counted as one.
		s.keepCount(ctx, s.throttle.undo(ctx, at, account, address))
		return nil, fmt.Errorf("checking the password: %w", err)
	}
	s.keepCount(ctx, s.throttle.forget(ctx, account))
	s.keepCount(ctx, s.throttle.undo(ctx, at, address))
	return s.openSession(ctx, u, clientAddress)
}

// beginAttempt starts a sign-in attempt under limits (see counter.begin),
// refusing it with a TooManyAttemptsError when a limit is reached.
func (s *Service) beginAttempt(ctx context.Context, limits ...limit) (attempt, error) {
	at, retryAt, err := s.throttle.begin(ctx, limits...)
	if err != nil {
		return attempt{}, err
	}
	if !retryAt.IsZero() {
		return attempt{}, &TooManyAttemptsError{RetryAt: retryAt}
	}
	return at, nil
}

// keepCount logs a failure to take back or clear counted failures: the
// sign-in itself went through, and the failures expire with the window.
func (s *Service) keepCount(ctx context.Context, err error) {
	if err != nil {
		s.logger.WarnContext(ctx, "updating the count of failed sign-ins", "err", err)
	}
}

// accountKey is the throttle's key for the failed password checks of the
// account with the (normalised) e-mail address.
func accountKey(email string) string { return "account:" + email }

// errRefused wraps the reasons checkPassword refuses credentials, as
// opposed to failures of the store.
var errRefused = errors.New("sign-in refused")

// checkPassword returns the enabled user with email and password. Refused
// credentials give an error wrapping errRefused.
func (s *Service) checkPassword(ctx context.Context, email, password string) (*ent.User, error) {
	u, err := s.db(ctx).User.Query().Where(user.Email(email)).Only(authz.SystemContext(ctx))
	if ent.IsNotFound(err) {
		// Spend the same time as a real check.
		if _, err := s.verifyPassword(ctx, password, ""); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: no such account", errRefused)
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.verifyPassword(ctx, password, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: wrong password", errRefused)
	}
	if u.Disabled {
		return nil, fmt.Errorf("%w: %w", errRefused, ErrDisabledUser)
	}
	return u, nil
}

// verifyPassword checks password against hash, waiting (at most as long as
// ctx allows) while half the processors run other checks: argon2id takes
// tens of milliseconds of a processor and 19 MiB each, so that checks
// without a bound, under an attack from many addresses, would take every
// processor (and memory) from the other requests.
func (s *Service) verifyPassword(ctx context.Context, password, hash string) (bool, error) {
	select {
	case s.checks <- struct{}{}:
		defer func() { <-s.checks }()
		return s.verify(password, hash), nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// openSession stores a new session of u and returns its token.
func (s *Service) openSession(ctx context.Context, u *ent.User, clientAddress string) (*Session, error) {
	token := newToken(sessionPrefix)
	expires := s.now().Add(s.cfg.SessionTTL)
	sys := authz.SystemContext(ctx)
	sess, err := s.db(ctx).Session.Create().SetTokenHash(hashToken(token)).SetUserID(u.ID).
		SetExpiresAt(expires).SetClientAddress(truncate(clientAddress, 64)).
		Save(sys)
	if err != nil {
		return nil, fmt.Errorf("storing session: %w", err)
	}
	v, err := s.sessionViewer(sys, sess)
	if err != nil {
		return nil, err
	}
	return &Session{Token: token, ExpiresAt: expires, User: u, Viewer: v}, nil
}

// Logout ends the viewer's session. With an API key it does nothing: keys
// are revoked explicitly.
func (s *Service) Logout(ctx context.Context) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return ErrNotSignedIn
	}
	if v.SessionID == 0 {
		return nil
	}
	return s.db(ctx).Session.DeleteOneID(v.SessionID).Exec(authz.SystemContext(ctx))
}

// Authenticate returns the viewer a bearer token stands for.
func (s *Service) Authenticate(ctx context.Context, token string) (*viewer.Viewer, error) {
	sys := authz.SystemContext(ctx)
	switch isSession, isKey := kindOf(token); {
	case isSession:
		return s.authenticateSession(sys, token)
	case isKey:
		return s.authenticateKey(sys, token)
	default:
		return nil, ErrInvalidToken
	}
}

func (s *Service) authenticateSession(ctx context.Context, token string) (*viewer.Viewer, error) {
	sess, err := s.db(ctx).Session.Query().Where(session.TokenHash(hashToken(token))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	return s.sessionViewer(ctx, sess)
}

// sessionScopes are what every session allows.
var sessionScopes = []viewer.Scope{viewer.ScopeRead, viewer.ScopeWrite}

// sessionViewer returns the viewer of a session found by its token or id,
// renewing it; an expired session is deleted.
func (s *Service) sessionViewer(ctx context.Context, sess *ent.Session) (*viewer.Viewer, error) {
	now := s.now()
	if err := sessionExpired(sess, now); err != nil {
		_ = s.db(ctx).Session.DeleteOne(sess).Exec(ctx)
		return nil, err
	}
	expires := s.renew(ctx, sess, now)
	v, err := s.loadViewer(ctx, sess.UserID, sessionScopes)
	if err != nil {
		return nil, err
	}
	v.SessionID, v.Expires = sess.ID, expires
	return v, nil
}

// sessionExpired returns ErrExpiredToken if the session has expired at now.
func sessionExpired(sess *ent.Session, now time.Time) error {
	if !now.Before(sess.ExpiresAt) {
		return ErrExpiredToken
	}
	return nil
}

// Reload returns v as the store now has its user (role, memberships),
// with v's credential and scopes, or nil when the user is disabled: for a
// mutation that changed its own viewer (see viewer.Switch).
func (s *Service) Reload(ctx context.Context, v *viewer.Viewer) (*viewer.Viewer, error) {
	fresh, err := s.loadViewer(authz.SystemContext(ctx), v.UserID, v.Scopes)
	if errors.Is(err, ErrDisabledUser) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	fresh.SessionID, fresh.APIKeyID, fresh.Expires = v.SessionID, v.APIKeyID, v.Expires
	return fresh, nil
}

// renew extends a session used after half its lifetime (sliding expiry)
// and records its use at most once a minute, so reads do not write on
// every request. It returns the session's expiry.
func (s *Service) renew(ctx context.Context, sess *ent.Session, now time.Time) time.Time {
	upd := s.db(ctx).Session.UpdateOne(sess)
	expires, changed := sess.ExpiresAt, false
	if sess.ExpiresAt.Sub(now) < s.cfg.SessionTTL/2 {
		expires = now.Add(s.cfg.SessionTTL)
		upd.SetExpiresAt(expires)
		changed = true
	}
	if sess.LastUsedAt == nil || now.Sub(*sess.LastUsedAt) > time.Minute {
		upd.SetLastUsedAt(now)
		changed = true
	}
	if changed {
		if err := upd.Exec(ctx); err != nil {
			s.logger.WarnContext(ctx, "renewing session", "err", err)
			return sess.ExpiresAt
		}
	}
	return expires
}

func (s *Service) authenticateKey(ctx context.Context, token string) (*viewer.Viewer, error) {
	key, err := s.db(ctx).APIKey.Query().Where(apikey.SecretHash(hashToken(token))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	return s.keyViewer(ctx, key)
}

// keyViewer returns the viewer of an API key found by its secret or id,
// recording its use.
func (s *Service) keyViewer(ctx context.Context, key *ent.APIKey) (*viewer.Viewer, error) {
	now := s.now()
	if err := keyUnusable(key, now); err != nil {
		return nil, err
	}
	if key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) > time.Minute {
		_ = s.db(ctx).APIKey.UpdateOne(key).SetLastUsedAt(now).Exec(audit.WithoutAudit(ctx))
	}
	v, err := s.loadViewer(ctx, key.UserID, keyScopes(key))
	if err != nil {
		return nil, err
	}
	v.APIKeyID, v.Expires = key.ID, valueOrZero(key.ExpiresAt)
	return v, nil
}

// keyUnusable says why a key cannot be used at now: revoked or expired.
func keyUnusable(key *ent.APIKey, now time.Time) error {
	switch {
	case key.RevokedAt != nil:
		return ErrRevokedKey
	case key.ExpiresAt != nil && !now.Before(*key.ExpiresAt):
		return ErrExpiredToken
	}
	return nil
}

// keyScopes returns the scopes a key was created with.
func keyScopes(key *ent.APIKey) []viewer.Scope {
	scopes := make([]viewer.Scope, len(key.Scopes))
	for i, sc := range key.Scopes {
		scopes[i] = viewer.Scope(sc)
	}
	return scopes
}

// loadViewer builds the viewer of an enabled user with their memberships.
func (s *Service) loadViewer(ctx context.Context, userID int, scopes []viewer.Scope) (*viewer.Viewer, error) {
	u, err := s.db(ctx).User.Query().Where(user.ID(userID)).WithMemberships().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrEnded
	}
	if err != nil {
		return nil, fmt.Errorf("loading user: %w", err)
	}
	return newViewer(u, scopes)
}

// newViewer builds the viewer of u, loaded with its memberships (nil: the
// user is gone); a disabled user has none.
func newViewer(u *ent.User, scopes []viewer.Scope) (*viewer.Viewer, error) {
	if u == nil {
		return nil, ErrEnded
	}
	if u.Disabled {
		return nil, ErrDisabledUser
	}
	v := &viewer.Viewer{
		UserID: u.ID, Role: viewer.Role(u.Role), DisplayName: u.DisplayName, Scopes: scopes,
		Municipalities: map[int]viewer.MemberRole{}, Associations: map[int]viewer.MemberRole{},
		Organisations: map[int]viewer.MemberRole{},
	}
	if u.Role == user.RoleNONE {
		v.Role = viewer.RoleNone
	}
	for _, m := range u.Edges.Memberships {
		if m.MunicipalityID != nil {
			v.Municipalities[*m.MunicipalityID] = viewer.MemberRole(m.Role)
		}
		if m.AssociationID != nil {
			v.Associations[*m.AssociationID] = viewer.MemberRole(m.Role)
		}
		if m.OrganisationID != nil {
			v.Organisations[*m.OrganisationID] = viewer.MemberRole(m.Role)
		}
	}
	return v, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
