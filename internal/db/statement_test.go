package db_test

import (
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// TestStatementOfKeepsThePredicates checks that the statement StatementOf
// returns holds the query's predicates (a modifier would see the statement
// before them) and that the query it ran selected nothing.
func TestStatementOfKeepsThePredicates(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	ctx := context.Background() // anonymous: partnerships are public
	var found []int
	statement, err := db.StatementOf(func(order func(*sql.Selector)) error {
		var err error
		found, err = store.Client.Partnership.Query().Where(partnership.StatusEQ(partnership.StatusSUSPENDED)).Order(order).IDs(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	query, _ := statement.Query()
	if !strings.Contains(query, "status") {
		t.Errorf("the statement lost the query's predicate: %s", query)
	}
	if len(found) != 0 {
		t.Errorf("the query run to take the statement returned %v", found)
	}
}
