package ratelimit

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"time"

	"github.com/throttled/throttled/v2"
)

// sweepEvery is how often a process deletes expired rows at most.
const sweepEvery = time.Minute

// postgresStore keeps the limiter's state in the rate_limits table (ent
// RateLimit) so that every replica on one database spends the same
// budgets. GCRA needs a shared clock, a get and an atomic
// compare-and-swap (throttled.GCRAStoreCtx); each is one statement, the
// clock the database's. Rows expire with the state they hold and are
// deleted at most once a minute per process, as the sign-in throttle's
// are (internal/auth).
type postgresStore struct {
	db *sql.DB
	// swept is when this process last deleted expired rows (Unix ns).
	swept atomic.Int64
}

// Postgres returns a store for the limiter's state in the rate_limits
// table of the PostgreSQL database db.
func Postgres(db *sql.DB) throttled.GCRAStoreCtx { return &postgresStore{db: db} }

// GetWithTime implements throttled.GCRAStoreCtx.
func (s *postgresStore) GetWithTime(ctx context.Context, key string) (int64, time.Time, error) {
	s.sweep(ctx)
	var value sql.NullInt64
	var now time.Time
	err := s.db.QueryRowContext(ctx,
		`SELECT now(), (SELECT value FROM rate_limits WHERE key = $1 AND expires_at > now())`, key).Scan(&now, &value)
	if err != nil {
		return 0, time.Time{}, err
	}
	if !value.Valid {
		return -1, now, nil
	}
	return value.Int64, now, nil
}

// SetIfNotExistsWithTTL implements throttled.GCRAStoreCtx. An expired
// row counts as absent.
func (s *postgresStore) SetIfNotExistsWithTTL(ctx context.Context, key string, value int64, ttl time.Duration) (bool, error) {
	return s.exec(ctx, `INSERT INTO rate_limits (key, value, expires_at) VALUES ($1, $2, `+expiry("$3")+`)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
		WHERE rate_limits.expires_at <= now()`, key, value, ttl.Microseconds())
}

// CompareAndSwapWithTTL implements throttled.GCRAStoreCtx.
func (s *postgresStore) CompareAndSwapWithTTL(ctx context.Context, key string, old, value int64, ttl time.Duration) (bool, error) {
	return s.exec(ctx, `UPDATE rate_limits SET value = $3, expires_at = `+expiry("$4")+`
		WHERE key = $1 AND value = $2 AND expires_at > now()`, key, old, value, ttl.Microseconds())
}

// expiry is the SQL expression of the expiry after a time to live of
// param microseconds: none (infinity) for a TTL that is not positive, as
// throttled's stores read it.
func expiry(param string) string {
	return "CASE WHEN " + param + "::bigint > 0 THEN now() + " + param + "::bigint * interval '1 microsecond' ELSE 'infinity' END"
}

// exec runs a statement and reports whether it changed a row.
func (s *postgresStore) exec(ctx context.Context, query string, args ...any) (bool, error) {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// sweep deletes expired rows, at most once per sweepEvery per process. A
// failed sweep is retried at the next.
func (s *postgresStore) sweep(ctx context.Context) {
	now := time.Now().UnixNano()
	last := s.swept.Load()
	if now-last < int64(sweepEvery) || !s.swept.CompareAndSwap(last, now) {
		return
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE expires_at <= now()`); err != nil && !errors.Is(err, context.Canceled) {
		s.swept.Store(last)
	}
}
