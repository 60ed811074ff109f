package ent

import (
	"database/sql"
	"testing"

	entsql "entgo.io/ent/dialect/sql"
)

// TestStatementHoldersReuseFieldHolders checks that the rows of one
// statement scan their fields into the holders of the first row, and each
// column that is not a field (kept as it is by the node) into a new one.
func TestStatementHoldersReuseFieldHolders(t *testing.T) {
	calls := 0
	scan := statementHolders(func(columns []string) ([]any, error) {
		calls++
		return []any{new(sql.NullInt64), new(entsql.UnknownType), new(sql.NullString)}, nil
	})
	columns := []string{"id", "hub_total_count", "name"}
	first, err := scan(columns)
	if err != nil {
		t.Fatal(err)
	}
	firstID, firstName, firstTotal := first[0], first[2], first[1]
	if _, ok := firstTotal.(*any); !ok {
		t.Fatalf("a column that is not a field scans into %T, want *any", firstTotal)
	}
	second, err := scan(columns)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("the holders were made %d times for one statement, want once", calls)
	}
	if second[0] != firstID || second[2] != firstName {
		t.Error("the second row has new holders for its fields")
	}
	if second[1] == firstTotal {
		t.Error("the second row shares the holder of a column its node keeps")
	}
}

// TestJoinTableSelectsJoinedColumnsByName checks the statement joinTable
// writes on both databases, twice (the second time from the kept
// selections): each joined column raw, named by its prefix, and found by
// that name as the statement's reading of joined rows finds it.
func TestJoinTableSelectsJoinedColumnsByName(t *testing.T) {
	want := map[string]string{
		"postgres": `SELECT "partnerships"."id", "hubj_phase"."id" AS "hubj_phase__id", "hubj_phase"."name" AS "hubj_phase__name" ` +
			`FROM "partnerships" LEFT JOIN "phases" AS "hubj_phase" ON "partnerships"."phase_id" = "hubj_phase"."id"`,
		"sqlite3": "SELECT `partnerships`.`id`, `hubj_phase`.`id` AS `hubj_phase__id`, `hubj_phase`.`name` AS `hubj_phase__name` " +
			"FROM `partnerships` LEFT JOIN `phases` AS `hubj_phase` ON `partnerships`.`phase_id` = `hubj_phase`.`id`",
	}
	for dialect, statement := range want {
		for range 2 {
			d := entsql.Dialect(dialect)
			t0 := d.Table("partnerships")
			s := d.Select(t0.C("id")).From(t0)
			joinTable("phases", "", "phase_id", "id", "hubj_phase__", []string{"id", "name"}, nil)(s)
			if got, _ := s.Query(); got != statement {
				t.Errorf("%s:\n got %s\nwant %s", dialect, got, statement)
			}
			if found := s.FindSelection("hubj_phase__name"); len(found) != 1 {
				t.Errorf("%s: the selection of hubj_phase__name is found %d times, want once", dialect, len(found))
			}
		}
	}
}
