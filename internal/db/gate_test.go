package db_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestStatementsEnterThePoolInTurn checks on each store that statements
// waiting for a connection get one in the order they asked (database/sql
// alone hands a freed connection to a random waiter), that a transaction
// holds its turn until it ends, also when its context ends, that a query
// holds it until its rows are closed, and that a waiter gives up when its
// own context ends.
func TestStatementsEnterThePoolInTurn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		store.SetMaxConns(1)
		ctx := context.Background()
		holder, err := store.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var (
			mu    sync.Mutex
			order []int
			wg    sync.WaitGroup
		)
		for i := range 4 {
			wg.Go(func() {
				tx, err := store.Client.Tx(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				if err := tx.Commit(); err != nil {
					t.Error(err)
				}
			})
			time.Sleep(50 * time.Millisecond) // waiter i asks before waiter i+1
		}
		waitsPastDeadline(t, store)
		mu.Lock()
		if len(order) != 0 {
			t.Errorf("transactions %v began while another held the only connection", order)
		}
		mu.Unlock()
		if err := holder.Commit(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if want := []int{0, 1, 2, 3}; !slices.Equal(order, want) {
			t.Errorf("transactions began in the order %v, want %v", order, want)
		}

		txCtx, end := context.WithCancel(ctx)
		if _, err := store.Client.Tx(txCtx); err != nil {
			t.Fatal(err)
		}
		end() // the transaction is left open: its context's end frees its turn
		getsATurn(t, store, "after a transaction's context ended")

		rows, err := store.Client.QueryContext(ctx, "SELECT 1")
		if err != nil {
			t.Fatal(err)
		}
		waitsPastDeadline(t, store)
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		getsATurn(t, store, "after the rows of the last were closed")
	})
}

// waitsPastDeadline checks that a query finds no free turn in 100 ms.
func waitsPastDeadline(t *testing.T, store *db.Store) {
	t.Helper()
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := store.Client.Country.Query().Count(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a query waiting past its deadline: %v, want the deadline's error", err)
	}
}

// getsATurn checks that a query runs (when: after what).
func getsATurn(t *testing.T, store *db.Store, when string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := store.Client.Country.Query().Count(ctx); err != nil {
		t.Errorf("a query %s: %v", when, err)
	}
}
