// Package analytics answers the analysts' questions in the database: grouped
// counts, sums, averages, minima and maxima of the records the API lists
// (partnershipStats, projectStats, activityStats, municipalityStats) and the
// programme's live figures beside the published ones (programmeFigures).
//
// Every aggregate starts from the same privacy-filtered Ent query as the list
// it aggregates, narrowed by the list's where input, and groups it with one
// SQL statement (GROUP BY over joins for keys held by other tables): rows
// are never loaded, and a record the viewer cannot list is not counted.
// The shape follows PostGraphile's aggregates plugin (groupedAggregates:
// keys, count and sum/average/min/max per group); see docs/analytics.md.
package analytics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// MaxGroups bounds the groups one aggregate returns; a grouping with more
// is refused with BAD_USER_INPUT (narrow the where or group by fewer keys).
const MaxGroups = 1000

// Group is one group of a grouped aggregate: its keys in the order of the
// groupBy argument (null where the record has no value), the number of
// records in it and, for records with a measure (a project's budget, an
// activity's participants, a municipality's population), the measure's
// aggregates over the records that have one.
type Group struct {
	Keys  []*string
	Count int
	// Distinct counts the distinct values of the spec's distinct column
	// in the group (a forum group's topics); 0 for records without one.
	Distinct int
	Sum      Measure
	Average  Measure
	Min      Measure
	Max      Measure
}

// Measure is an aggregate of a record's measure; nil when no record of the
// group has a value.
type Measure struct{ Value *float64 }

// dimension is a grouping key: an SQL expression over the aggregated table
// (the selector) and the tables it joins. A partnership has at most one row
// per key (its themes are a set, its facilitators a join table with a
// primary key), so its groups count their rows.
type dimension struct {
	// multi is set for keys of which a record may have several that the
	// grouping may join more than once (a news item's partnerships): the
	// groups then count distinct records.
	multi bool
	// key returns the key's SQL expression, adding the joins it needs.
	key func(s *sql.Selector, j *joins) string
	// by, when set, returns what the groups are formed by instead of the
	// key: the foreign key of a lookup.
	by func(s *sql.Selector, j *joins) string
}

// lookup groups by a foreign key (fk returns it, adding the joins it
// needs) and shows a column of the row it refers to. The column is read
// once per group by a scalar subquery rather than joined to every record,
// which halves the work of grouping 200,000 partnerships. Rows with the
// same column value (associations of the same English name) are groups of
// their own.
func lookup(table, column string, fk func(s *sql.Selector, j *joins) string) dimension {
	return dimension{
		by: fk,
		key: func(s *sql.Selector, j *joins) string {
			return "(SELECT " + s.Quote(column) + " FROM " + s.Quote(table) + " WHERE " + s.Quote("id") + " = " + fk(s, j) + ")"
		},
	}
}

// column returns a column of the aggregated table.
func column(name string) func(*sql.Selector, *joins) string {
	return func(s *sql.Selector, _ *joins) string { return s.C(name) }
}

// joins adds each joined table to a selector once, under its own alias.
type joins struct {
	s     *sql.Selector
	added map[string]*sql.SelectTable
}

// table returns the table joined under alias, joining it with join on
// first use.
func (j *joins) table(alias string, join func(s *sql.Selector) *sql.SelectTable) *sql.SelectTable {
	if t, ok := j.added[alias]; ok {
		return t
	}
	t := join(j.s)
	j.added[alias] = t
	return t
}

// leftJoin joins table under alias on alias.column = on (a column
// reference of the selector or of an earlier join).
func leftJoin(s *sql.Selector, table, alias, on, column string) *sql.SelectTable {
	t := sql.Dialect(s.Dialect()).Table(table).As(alias)
	s.LeftJoin(t).On(on, t.C(column))
	return t
}

// as names an output column.
func as(s *sql.Selector, expr, name string) string { return expr + " AS " + s.Quote(name) }

// spec is what a grouped aggregate of one kind of record needs.
type spec struct {
	// dims are the groupings by GraphQL enum value.
	dims map[string]dimension
	// measure is the column aggregated by sum/average/min/max; empty for
	// records without one.
	measure string
	// distinct is the column whose distinct values each group counts;
	// empty for records without one.
	distinct string
}

// row is one result row of a grouped aggregate; k0..k7 are the keys.
type row struct {
	K0       *string  `sql:"k0"`
	K1       *string  `sql:"k1"`
	K2       *string  `sql:"k2"`
	K3       *string  `sql:"k3"`
	K4       *string  `sql:"k4"`
	K5       *string  `sql:"k5"`
	K6       *string  `sql:"k6"`
	K7       *string  `sql:"k7"`
	Count    int      `sql:"n"`
	Distinct int      `sql:"d"`
	Sum      *float64 `sql:"sum"`
	Avg      *float64 `sql:"avg"`
	Min      *float64 `sql:"min"`
	Max      *float64 `sql:"max"`
}

// maxKeys is the number of key columns of row.
const maxKeys = 8

// keys returns the first n keys of r.
func (r row) keys(n int) []*string {
	return []*string{r.K0, r.K1, r.K2, r.K3, r.K4, r.K5, r.K6, r.K7}[:n]
}

// group returns r as a Group with n keys.
func (r row) group(n int) *Group {
	return &Group{Keys: r.keys(n), Count: r.Count, Distinct: r.Distinct, Sum: Measure{r.Sum}, Average: Measure{r.Avg},
		Min: Measure{r.Min}, Max: Measure{r.Max}}
}

// check refuses an empty, repeated or unknown groupBy.
func (sp spec) check(groupBy []string) error {
	if len(groupBy) == 0 {
		return apierr.Input("groupBy", "groupBy needs at least one grouping")
	}
	seen := map[string]bool{}
	for _, g := range groupBy {
		if _, ok := sp.dims[g]; !ok {
			return apierr.Input("groupBy", "unknown grouping %s", g)
		}
		if seen[g] {
			return apierr.Input("groupBy", "grouping %s is given twice", g)
		}
		seen[g] = true
	}
	return nil
}

// modifier returns the query modifier that turns a selector of the
// records into the grouped aggregate by groupBy.
func (sp spec) modifier(groupBy []string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		j := &joins{s: s, added: map[string]*sql.SelectTable{}}
		cols := make([]string, 0, len(groupBy)+5)
		exprs := make([]string, 0, len(groupBy))
		multi := false
		for i, g := range groupBy {
			d := sp.dims[g]
			multi = multi || d.multi
			e := d.key(s, j)
			cols = append(cols, as(s, e, fmt.Sprintf("k%d", i)))
			if d.by != nil {
				e = d.by(s, j)
			}
			exprs = append(exprs, e)
		}
		count := "COUNT(*)"
		if multi {
			count = "COUNT(DISTINCT " + s.C("id") + ")"
		}
		cols = append(cols, as(s, count, "n"))
		if sp.distinct != "" {
			cols = append(cols, as(s, "COUNT(DISTINCT "+s.C(sp.distinct)+")", "d"))
		}
		if sp.measure != "" {
			m := s.C(sp.measure)
			cols = append(cols, as(s, "SUM("+m+")", "sum"), as(s, "AVG("+m+")", "avg"),
				as(s, "MIN("+m+")", "min"), as(s, "MAX("+m+")", "max"))
		}
		s.Select(cols...).GroupBy(exprs...)
		s.OrderExpr(sql.Expr(orderBy(len(exprs))))
		s.Limit(MaxGroups + 1)
	}
}

// orderBy orders the groups by their keys (output columns 1..n).
func orderBy(n int) string {
	pos := make([]string, n)
	for i := range pos {
		pos[i] = fmt.Sprint(i + 1)
	}
	return strings.Join(pos, ", ")
}

// scanner is the part of an Ent select builder that a grouped aggregate
// runs on.
type scanner interface {
	Scan(ctx context.Context, v any) error
}

// modifiable is an Ent query (the list's query, privacy and where
// applied) that a modifier turns into a select of other columns.
type modifiable[S scanner] interface {
	Modify(modifiers ...func(s *sql.Selector)) S
}

// grouped checks groupBy and runs the grouped aggregate of sp on q (err is
// the error of building q, returned first), and returns the groups.
func grouped[S scanner](ctx context.Context, sp spec, q modifiable[S], err error, groupBy []string) ([]*Group, error) {
	if err != nil {
		return nil, err
	}
	if err := sp.check(groupBy); err != nil {
		return nil, err
	}
	var rows []row
	if err := q.Modify(sp.modifier(groupBy)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	if len(rows) > MaxGroups {
		return nil, apierr.Input("groupBy", "more than %d groups: narrow the where or group by fewer keys", MaxGroups)
	}
	out := make([]*Group, len(rows))
	for i, r := range rows {
		out[i] = r.group(len(groupBy))
	}
	return out, nil
}

// year returns the SQL expression of the year of a time column as text.
func year(s *sql.Selector, column string) string { return utcTime(s, column, "YYYY", "%Y") }

// month returns the SQL expression of the month of a time column as text,
// e.g. 2026-03.
func month(s *sql.Selector, column string) string { return utcTime(s, column, "YYYY-MM", "%Y-%m") }

// utcTime formats a time column in UTC with PostgreSQL's to_char pattern
// or SQLite's strftime format.
func utcTime(s *sql.Selector, column, pgPattern, sqliteFormat string) string {
	c := s.C(column)
	if s.Dialect() == dialect.Postgres {
		return "to_char(" + c + " AT TIME ZONE 'UTC', '" + pgPattern + "')"
	}
	return "strftime('" + sqliteFormat + "', " + sqliteTime(c) + ")"
}

// sqliteTime rewrites a time as the SQLite driver stores it (Go's
// time.String: "2026-03-01 01:30:00.5 +0300 EEST") as a time SQLite's
// date functions read, with its offset ("2026-03-01 01:30:00+03:00"), so
// that they turn it into UTC.
func sqliteTime(c string) string {
	// The offset follows the first space after the seconds and their
	// optional fraction.
	at := "(20 + instr(substr(" + c + ", 20), ' '))"
	return "substr(" + c + ", 1, 19) || substr(" + c + ", " + at + ", 3) || ':' || substr(" + c + ", " + at + " + 3, 2)"
}

// ComparableTime returns an SQL expression of the time column that
// compares, orders and aggregates (MAX) as time in dialect d: the column
// itself on PostgreSQL, its UTC text "2006-01-02 15:04:05" on SQLite.
func ComparableTime(d, column string) string {
	if d == dialect.Postgres {
		return column
	}
	return "datetime(" + sqliteTime(column) + ")"
}

// ComparableTimeArg returns t as an argument to compare with a
// ComparableTime expression of dialect d.
func ComparableTimeArg(d string, t time.Time) any {
	if d == dialect.Postgres {
		return t
	}
	return t.UTC().Format(time.DateTime)
}
