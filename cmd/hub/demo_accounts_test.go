package main

import (
	"context"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// TestOnlyTheDemoDataSetCreatesAccounts checks that the commands that set
// up a store create the demo accounts with the demo data set, and no
// account otherwise.
func TestOnlyTheDemoDataSetCreatesAccounts(t *testing.T) {
	demo := len(seed.DemoAccounts())
	cases := []struct {
		args  []string
		users int
	}{
		{[]string{"migrate"}, 0},
		{[]string{"serve"}, 0},
		{[]string{"seed", "--synthetic", "--municipalities", "30", "--partnerships", "20", "--projects", "10", "--activities", "5"}, 0},
		{[]string{"serve", "--demo"}, demo},
		{[]string{"seed", "--demo"}, demo},
	}
	for _, dialect := range dbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			for _, c := range cases {
				dbURL := dbtest.URL(t, dialect)
				store := testStore(t, dbURL)
				prepare(t, dbURL, c.args...)
				if n := store.Client.User.Query().CountX(authz.SystemContext(context.Background())); n != c.users {
					t.Errorf("hub %q created %d users, want %d", c.args, n, c.users)
				}
			}
		})
	}
}

// prepare runs a command that sets up the store at dbURL; for hub serve,
// only the preparation before serving.
func prepare(t *testing.T, dbURL string, args ...string) {
	t.Helper()
	if args[0] != "serve" {
		if err := runHub(t, dbURL, "", args...); err != nil {
			t.Fatalf("hub %q: %v", args, err)
		}
		return
	}
	cli, _ := parseHub(t, dbURL, args...)
	store, err := cli.Serve.open(context.Background(), &cli.Globals, discard)
	if err != nil {
		t.Fatalf("hub %q: %v", args, err)
	}
	store.Close()
}
