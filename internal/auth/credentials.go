package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/apikey"
	"github.com/bridgesoftrust/hub/ent/session"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// ErrEnded refuses a credential that was valid and is gone: the session was
// ended (logout, a password change, the account disabled) or the key
// deleted.
var ErrEnded = errors.New("this session or API key has ended; sign in again")

// Credential names what authenticated a viewer without its secret: a
// session or an API key, and its user. Long-lived connections keep it
// instead of the token to check their viewer again (Reauthenticate,
// Recheck).
type Credential struct {
	UserID, SessionID, APIKeyID int
}

// CredentialOf returns the credential of v; the zero Credential for an
// anonymous viewer.
func CredentialOf(v *viewer.Viewer) Credential {
	if v == nil {
		return Credential{}
	}
	return Credential{UserID: v.UserID, SessionID: v.SessionID, APIKeyID: v.APIKeyID}
}

// Check is what a credential stands for now: its viewer, or the error (one
// of this package's) that says why it no longer holds.
type Check struct {
	Viewer *viewer.Viewer
	Err    error
}

// Reauthenticate returns the viewer that c stands for now, as Authenticate
// does for its token: the session or key must still exist, be unexpired and
// unrevoked, and its user enabled; role and memberships are read afresh. It
// is a use of the credential, as a request is: a session is renewed.
func (s *Service) Reauthenticate(ctx context.Context, c Credential) (*viewer.Viewer, error) {
	ctx = authz.SystemContext(ctx)
	switch {
	case c.SessionID != 0:
		sess, err := s.db(ctx).Session.Get(ctx, c.SessionID)
		if ent.IsNotFound(err) || err == nil && sess.UserID != c.UserID {
			return nil, ErrEnded
		}
		if err != nil {
			return nil, err
		}
		return s.sessionViewer(ctx, sess)
	case c.APIKeyID != 0:
		key, err := s.db(ctx).APIKey.Get(ctx, c.APIKeyID)
		if ent.IsNotFound(err) || err == nil && key.UserID != c.UserID {
			return nil, ErrEnded
		}
		if err != nil {
			return nil, err
		}
		return s.keyViewer(ctx, key)
	default:
		return nil, ErrInvalidToken
	}
}

// recheckBatch bounds the ids of one query of Recheck (SQLite allows 32,766
// parameters, PostgreSQL 65,535).
const recheckBatch = 500

// Recheck returns what each credential stands for now, in a few queries
// whatever their number (Reauthenticate's rules, without renewing
// anything): for the periodic and event-driven re-validation of open
// connections. An error means the store failed.
func (s *Service) Recheck(ctx context.Context, creds []Credential) (map[Credential]Check, error) {
	ctx = authz.SystemContext(ctx)
	var sessionIDs, keyIDs, userIDs []int
	for _, c := range creds {
		if c.SessionID != 0 {
			sessionIDs = append(sessionIDs, c.SessionID)
		} else if c.APIKeyID != 0 {
			keyIDs = append(keyIDs, c.APIKeyID)
		}
		userIDs = append(userIDs, c.UserID)
	}
	sessions, err := byID(ctx, sessionIDs, func(ctx context.Context, ids []int) ([]*ent.Session, error) {
		return s.db(ctx).Session.Query().Where(session.IDIn(ids...)).All(ctx)
	}, func(x *ent.Session) int { return x.ID })
	if err != nil {
		return nil, fmt.Errorf("loading sessions: %w", err)
	}
	keys, err := byID(ctx, keyIDs, func(ctx context.Context, ids []int) ([]*ent.APIKey, error) {
		return s.db(ctx).APIKey.Query().Where(apikey.IDIn(ids...)).All(ctx)
	}, func(x *ent.APIKey) int { return x.ID })
	if err != nil {
		return nil, fmt.Errorf("loading API keys: %w", err)
	}
	users, err := byID(ctx, userIDs, func(ctx context.Context, ids []int) ([]*ent.User, error) {
		return s.db(ctx).User.Query().Where(user.IDIn(ids...)).WithMemberships().All(ctx)
	}, func(x *ent.User) int { return x.ID })
	if err != nil {
		return nil, fmt.Errorf("loading users: %w", err)
	}
	now := s.now()
	out := make(map[Credential]Check, len(creds))
	for _, c := range creds {
		v, err := s.checkLoaded(c, sessions[c.SessionID], keys[c.APIKeyID], users[c.UserID], now)
		out[c] = Check{Viewer: v, Err: err}
	}
	return out, nil
}

// checkLoaded decides what c stands for, given its session or key and user
// as loaded (nil: not found).
func (s *Service) checkLoaded(c Credential, sess *ent.Session, key *ent.APIKey, u *ent.User, now time.Time) (*viewer.Viewer, error) {
	var v *viewer.Viewer
	var err error
	switch {
	case c.SessionID != 0 && (sess == nil || sess.UserID != c.UserID):
		return nil, ErrEnded
	case c.SessionID != 0:
		if err := sessionExpired(sess, now); err != nil {
			return nil, err
		}
		v, err = newViewer(u, sessionScopes)
		if err == nil {
			v.SessionID, v.Expires = sess.ID, sess.ExpiresAt
		}
	case c.APIKeyID != 0 && (key == nil || key.UserID != c.UserID):
		return nil, ErrEnded
	case c.APIKeyID != 0:
		if err := keyUnusable(key, now); err != nil {
			return nil, err
		}
		v, err = newViewer(u, keyScopes(key))
		if err == nil {
			v.APIKeyID, v.Expires = key.ID, valueOrZero(key.ExpiresAt)
		}
	default:
		return nil, ErrInvalidToken
	}
	return v, err
}

// byID loads the rows with ids in batches and maps them by id.
func byID[T any](ctx context.Context, ids []int, load func(context.Context, []int) ([]T, error), id func(T) int) (map[int]T, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[int]T, len(ids))
	for batch := range slices.Chunk(ids, recheckBatch) {
		rows, err := load(ctx, batch)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[id(r)] = r
		}
	}
	return out, nil
}

func valueOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// Refused reports whether err refuses credentials (one of this package's
// errors, safe to show), as opposed to a failure of the store.
func Refused(err error) bool { return err != nil && isAuthError(err) }
