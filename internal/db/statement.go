package db

import "entgo.io/ent/dialect/sql"

// StatementOf returns the SELECT statement of an Ent query as Ent runs it,
// with the query's predicates and the privacy filters of its viewer
// applied, for a statement built around it (an export's joins, a network
// traversal's CTE). The policies add their filters when a query runs, and
// Ent applies a query's ordering after every predicate, while a modifier
// (Modify) sees the statement before them: so run runs the query once
// with order as its ordering, and order keeps the statement and makes it
// select nothing.
func StatementOf(run func(order func(*sql.Selector)) error) (*sql.Selector, error) {
	var statement *sql.Selector
	err := run(func(s *sql.Selector) {
		statement = s.Clone()
		s.Where(sql.False())
	})
	return statement, err
}
