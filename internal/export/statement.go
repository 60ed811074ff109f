package export

import (
	"context"
	stdsql "database/sql"
	"strconv"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/internal/db"
)

// An export is one statement: the list's own Ent query (the viewer's
// privacy rules and the where input applied, as the API runs it), by id,
// with the columns of the tables it shows (towns, countries,
// facilitators...) selected through joins of the rows of those tables
// that the viewer may read. Its rows are written as the driver reads
// them, without loading them as Ent records. One statement lets the
// database read each table once (hash joins on PostgreSQL) where pages
// of rows would look up every row's towns and facilitators again.

// table is a table joined to an export's statement (a plain table or the
// subquery of its readable rows).
type table interface {
	sql.TableView
	C(column string) string
}

// tables joins to an export's statement s the tables its columns come from,
// each once under its alias; base is the statement of the rows exported
// (see db.StatementOf), for subqueries to keep to them.
type tables struct {
	s      *sql.Selector
	base   *sql.Selector
	joined map[string]table
}

// ids returns the subquery of the ids of the rows exported.
func (t *tables) ids() *sql.Selector {
	ids := t.base.Clone()
	return ids.Select(ids.C("id"))
}

// col is a column of the dataset's own table.
func (t *tables) col(name string) string { return t.s.C(name) }

// join left-joins, under alias, the rows of typ's table that the viewer
// may read, on alias.id = on; a second call with the same alias returns
// the first join.
func (t *tables) join(alias, typ, name, on string) table {
	if j, ok := t.joined[alias]; ok {
		return j
	}
	j := readable(t.s, typ, name, alias)
	t.s.LeftJoin(j).On(on, j.C("id"))
	t.joined[alias] = j
	return j
}

// readable returns, as alias, the table name of type typ narrowed to the
// rows the viewer of s may read (the read rule of its privacy policy):
// the table itself when the viewer reads every row.
func readable(s *sql.Selector, typ, name, alias string) table {
	b := sql.Dialect(s.Dialect())
	rows := b.Select("*").From(b.Table(name))
	rows.WithContext(s.Context())
	rule := predicate.ReadFilter(rows, typ)
	if rule == nil {
		return b.Table(name).As(alias)
	}
	rule(rows)
	return rows.As(alias)
}

// exportStatement returns the statement of an export of d built on base
// (see db.StatementOf): the dataset's fields, then its geometry's
// coordinates, by id.
func exportStatement(base *sql.Selector, d dataset) (string, []any) {
	s := base.Clone()
	t := &tables{s: s, base: base, joined: map[string]table{}}
	s.Select()
	for _, f := range d.fields {
		s.AppendSelectExprAs(f.expr(t), f.name)
	}
	for i, p := range d.points {
		lon, lat := p(t)
		s.AppendSelectExprAs(sql.Expr(lon), "longitude_"+strconv.Itoa(i))
		s.AppendSelectExprAs(sql.Expr(lat), "latitude_"+strconv.Itoa(i))
	}
	return s.OrderBy(s.C("id")).Query()
}

// runner runs an export's statement in its transaction, with Ent's
// case-insensitive predicates written as the store's driver writes them.
type runner struct {
	client  *ent.Client
	dialect string
}

// query runs a statement built by exportStatement.
func (r runner) query(ctx context.Context, query string, args []any) (*stdsql.Rows, error) {
	return r.client.QueryContext(ctx, db.FoldQuery(r.dialect, query), args...)
}

// listOf returns the SQL aggregate that joins the values of expr, sorted,
// with "; " (string_agg on PostgreSQL, group_concat on SQLite).
func listOf(dialectName, expr string) string {
	if dialectName == dialect.Postgres {
		return "string_agg(" + expr + ", '; ' ORDER BY " + expr + ")"
	}
	return "group_concat(" + expr + ", '; ' ORDER BY " + expr + ")"
}
