package auth_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// openReplicaStore opens (and migrates, which the first replica has done)
// the database at url, as a replica of `hub serve` does.
func openReplicaStore(t *testing.T, url string) *db.Store {
	t.Helper()
	store, err := db.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.Migrate(ctx, store); err != nil {
		t.Fatal(err)
	}
	return store
}

// TestThrottleAcrossReplicas sends 30 wrong passwords for one account at
// once, alternating between the replicas that serve one database, each
// with its own connections: two on PostgreSQL, where the counts are shared
// in the store; one on SQLite, whose counts live in the single process
// that owns the store. However the attempts interleave, 10 are checked
// (UNAUTHENTICATED) and 20 refused (TOO_MANY_REQUESTS), and then the right
// password is refused on every replica.
func TestThrottleAcrossReplicas(t *testing.T) {
	for _, dia := range dbtest.Dialects() {
		t.Run(dia, func(t *testing.T) {
			url := dbtest.URL(t, dia)
			hubs := []*hub{serve(t, openReplicaStore(t, url), testConfig())}
			if dia == dialect.Postgres {
				hubs = append(hubs, serve(t, openReplicaStore(t, url), testConfig()))
			}
			hubs[0].user(t, "victim", user.RoleNONE)
			var (
				mu    sync.Mutex
				codes = map[string]int{}
				wg    sync.WaitGroup
			)
			for i := range 30 {
				wg.Go(func() {
					code := hubs[i%len(hubs)].login(t, "victim", fmt.Sprintf("guess number %d", i)).Code()
					mu.Lock()
					defer mu.Unlock()
					codes[code]++
				})
			}
			wg.Wait()
			if want := map[string]int{"UNAUTHENTICATED": 10, "TOO_MANY_REQUESTS": 20}; !maps.Equal(codes, want) {
				t.Errorf("answers %v, want %v", codes, want)
			}
			for i, h := range hubs {
				checkTooMany(t, fmt.Sprintf("the right password on replica %d", i+1), h.login(t, "victim", password))
			}
		})
	}
}

// txRecorder is a gqlgen extension that records, for each root field of
// the operations it sees, whether its resolver ran in a transaction.
type txRecorder struct {
	mu   sync.Mutex
	inTx map[string]bool
}

func (*txRecorder) ExtensionName() string                   { return "TxRecorder" }
func (*txRecorder) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptField implements graphql.FieldInterceptor.
func (r *txRecorder) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Object == "Mutation" {
		r.mu.Lock()
		r.inTx[fc.Field.Name] = ent.TxFromContext(ctx) != nil
		r.mu.Unlock()
	}
	return next(ctx)
}

// TestPasswordChecksHoldNoTransaction runs login and changePassword, which
// check passwords with argon2id, and other mutations through the server:
// the former run outside any transaction (on SQLite one would hold the
// write lock for every other request), the others in the operation's.
func TestPasswordChecksHoldNoTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		rec := &txRecorder{inTx: map[string]bool{}}
		h := serveWith(t, store, testConfig(), discard, server.WithExtension(rec))
		u := h.user(t, "ed", user.RoleNONE)
		header := h.session(t, "ed")
		h.post(t, changePassword, map[string]any{"c": password, "n": "ed has a new passphrase"}, header).NoErrors(t)
		h.post(t, `mutation($id: ID!) { updateUser(id: $id, input: {displayName: "Ed"}) { id } }`, map[string]any{"id": u.ID}, header).NoErrors(t)
		h.post(t, `mutation { logout }`, nil, header).NoErrors(t)
		want := map[string]bool{"login": false, "changePassword": false, "updateUser": true, "logout": true}
		if !maps.Equal(rec.inTx, want) {
			t.Errorf("in a transaction: %v, want %v", rec.inTx, want)
		}
	})
}
