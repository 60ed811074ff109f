package ent

// This file is written by hand (entc leaves it alone): helpers of the
// Hub's query template (ent/template/query.tmpl) and of its version of
// entgql's Paginate (ent/entgqltemplate/paginate.tmpl).

import (
	"fmt"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
)

// selectsColumn reports whether a query's columns name column.
func selectsColumn(columns []string, column string) bool {
	for _, c := range columns {
		if c == column {
			return true
		}
	}
	return false
}

// unionFields returns the fields that two queries select together: nil
// (every field) when either selects every field.
func unionFields(a, b []string) []string {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	union := append(make([]string, 0, len(a)+len(b)), a...)
	for _, f := range b {
		if !selectsColumn(union, f) {
			union = append(union, f)
		}
	}
	return union
}

// totalColumn is the column in which a connection's first page carries
// the count of every row of the connection (see selectTotalInPage).
const totalColumn = "hub_total_count"

// selectTotalInPage adds to a page's statement the count of every row that
// its filters match, before LIMIT: COUNT(*) OVER () on PostgreSQL and
// SQLite (3.25 and later).
func selectTotalInPage(s *sql.Selector) {
	s.AppendSelectExprAs(sql.Expr("COUNT(*) OVER ()"), totalColumn)
}

// totalInPage reads the count that selectTotalInPage added from a row of
// the page, given the row's Value method.
func totalInPage(value func(string) (ent.Value, error)) (int, error) {
	v, err := value(totalColumn)
	if err != nil {
		return 0, err
	}
	switch n := v.(type) {
	case int64:
		return int(n), nil
	case int:
		return n, nil
	}
	return 0, fmt.Errorf("ent: total count of type %T", v)
}
