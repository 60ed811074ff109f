package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/apikey"
	"github.com/bridgesoftrust/hub/ent/session"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// NewUser describes an account to create.
type NewUser struct {
	Email, DisplayName, Password string
	Role                         user.Role
	PreferredLanguage            string
}

// CreateUser creates an account with a checked, hashed password. The
// caller's context decides whether it may (the secretariat, or the system
// for the command line). The privacy policy is asked before the password
// is checked and hashed, so that callers who may not create accounts
// learn nothing about the password rules and cannot make the server spend
// memory and time on hashing.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*ent.User, error) {
	create := s.db(ctx).User.Create().SetEmail(in.Email).SetDisplayName(in.DisplayName)
	if in.Role != "" {
		create.SetRole(in.Role)
	}
	if in.PreferredLanguage != "" {
		create.SetPreferredLanguage(in.PreferredLanguage)
	}
	if err := askUserPolicy(ctx, create.Mutation()); err != nil {
		return nil, err
	}
	if err := CheckPassword(in.Password, in.Email, in.DisplayName); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	return create.SetPasswordHash(hash).Save(ctx)
}

// askUserPolicy evaluates the users' privacy policy for m now, ahead of
// the check Save makes. The policy is nil only when ent/runtime is not
// linked in, and then no policy runs at all.
func askUserPolicy(ctx context.Context, m *ent.UserMutation) error {
	if user.Policy == nil {
		return nil
	}
	return user.Policy.EvalMutation(ctx, m)
}

// SetPassword replaces the password of the user with email (recovery from
// the command line), ends their sessions and revokes their API keys.
func (s *Service) SetPassword(ctx context.Context, email, password string) error {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return err
	}
	return s.replacePassword(ctx, u, password)
}

// ChangePassword lets the viewer replace their own password after proving
// they know the current one; like SetPassword, their other sessions end and
// their API keys are revoked, so that whoever learnt the old password
// keeps no way in. Wrong current passwords count as failed sign-ins of the
// account, so that a stolen session cannot be used to guess the password
// faster than Login allows.
//
// Like Login, it must run outside a transaction: both passwords go through
// argon2id first, and only the writes run in a short transaction of their
// own.
func (s *Service) ChangePassword(ctx context.Context, current, password string) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return ErrNotSignedIn
	}
	u, err := s.db(ctx).User.Get(ctx, v.UserID)
	if err != nil {
		return err
	}
	key := accountKey(u.Email)
	if _, err := s.beginAttempt(ctx, limit{key, s.cfg.Throttle.PerAccount}); err != nil {
		return err
	}
	ok, err := s.verifyPassword(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return validation.Errorf("current_password", "is wrong")
	}
	s.keepCount(ctx, s.throttle.forget(ctx, key))
	return s.replacePassword(ctx, u, password)
}

// replacePassword checks and hashes a new password of u, then, in one
// short transaction, stores it, ends u's sessions (but the viewer's own)
// and revokes u's API keys: keys made with a stolen account must not
// outlive it.
func (s *Service) replacePassword(ctx context.Context, u *ent.User, password string) error {
	if err := CheckPassword(password, u.Email, u.DisplayName); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context) error {
		if err := s.db(ctx).User.UpdateOneID(u.ID).SetPasswordHash(hash).Exec(ctx); err != nil {
			return err
		}
		if err := s.EndSessions(ctx, u.ID); err != nil {
			return err
		}
		// Every key of u, which the rules of API keys (one's own, one at a
		// time) do not let a bulk update name: the password change was
		// allowed, this is part of it.
		return s.db(ctx).APIKey.Update().Where(apikey.UserID(u.ID), apikey.RevokedAtIsNil()).
			SetRevokedAt(s.now()).Exec(authz.SystemContext(ctx))
	})
}

// inTx runs fn with a context whose client (see db) is a transaction:
// the caller's, or a new one committed if fn succeeds.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if ent.TxFromContext(ctx) != nil {
		return fn(ctx)
	}
	return withTx(ctx, s.client, func(tx *ent.Tx) error {
		return fn(ent.NewContext(ent.NewTxContext(ctx, tx), tx.Client()))
	})
}

// Disable stops the user with email from signing in and ends their sessions.
func (s *Service) Disable(ctx context.Context, email string) error {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return err
	}
	if err := s.db(ctx).User.UpdateOne(u).SetDisabled(true).Exec(ctx); err != nil {
		return err
	}
	return s.EndSessions(ctx, u.ID)
}

// EndSessions deletes every session of a user except the viewer's own.
func (s *Service) EndSessions(ctx context.Context, userID int) error {
	del := s.db(ctx).Session.Delete().Where(session.UserID(userID))
	if v := viewer.FromContext(ctx); v != nil && v.SessionID != 0 {
		del.Where(session.IDNEQ(v.SessionID))
	}
	_, err := del.Exec(authz.SystemContext(ctx))
	return err
}

func (s *Service) userByEmail(ctx context.Context, email string) (*ent.User, error) {
	u, err := s.db(ctx).User.Query().Where(user.Email(strings.ToLower(strings.TrimSpace(email)))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("no user with e-mail %q", email)
	}
	return u, err
}

// NewAPIKey describes an API key to create for the viewer.
type NewAPIKey struct {
	Name      string
	Scopes    []viewer.Scope
	ExpiresAt *time.Time
}

// CreatedAPIKey is a new key with its secret, which is shown only now.
type CreatedAPIKey struct {
	Key    *ent.APIKey
	Secret string
}

// CreateAPIKey creates an API key for the viewer. A key cannot carry more
// than its owner has: bulk is for the secretariat and analysts.
func (s *Service) CreateAPIKey(ctx context.Context, in NewAPIKey) (*CreatedAPIKey, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, ErrNotSignedIn
	}
	if err := checkScopes(v, in.Scopes); err != nil {
		return nil, err
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(s.now()) {
		return nil, validation.Errorf("expires_at", "must be in the future")
	}
	secret := newToken(apiKeyPrefix)
	scopes := make([]string, len(in.Scopes))
	for i, sc := range in.Scopes {
		scopes[i] = string(sc)
	}
	key, err := s.db(ctx).APIKey.Create().SetName(in.Name).SetUserID(v.UserID).
		SetPrefix(secret[:len(apiKeyPrefix)+6]).SetSecretHash(hashToken(secret)).
		SetScopes(scopes).SetNillableExpiresAt(in.ExpiresAt).Save(ctx)
	if err != nil {
		return nil, err
	}
	return &CreatedAPIKey{Key: key, Secret: secret}, nil
}

func checkScopes(v *viewer.Viewer, scopes []viewer.Scope) error {
	if len(scopes) == 0 {
		return validation.Errorf("scopes", "name at least one scope: read, write or bulk")
	}
	for _, sc := range scopes {
		if !slices.Contains([]viewer.Scope{viewer.ScopeRead, viewer.ScopeWrite, viewer.ScopeBulk}, sc) {
			return validation.Errorf("scopes", "%q is not a scope (read, write, bulk)", sc)
		}
		if sc == viewer.ScopeBulk && !v.ReadsAll() {
			return validation.Errorf("scopes", "the bulk scope is for the secretariat and analysts")
		}
		if !v.Has(sc) && !(sc == viewer.ScopeBulk && v.SessionID != 0) {
			return validation.Errorf("scopes", "a key cannot carry the %s scope that this credential lacks", sc)
		}
	}
	return nil
}

// RevokeAPIKey revokes one of the viewer's keys.
func (s *Service) RevokeAPIKey(ctx context.Context, id int) (*ent.APIKey, error) {
	key, err := s.db(ctx).APIKey.Get(ctx, id) // filtered to the viewer's own keys
	if err != nil {
		return nil, err
	}
	if key.RevokedAt != nil {
		return key, nil
	}
	return s.db(ctx).APIKey.UpdateOne(key).SetRevokedAt(s.now()).Save(ctx)
}
