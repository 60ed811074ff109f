package ent

// This file is written by hand (entc leaves it alone): the pages of a
// one-to-many connection per parent (a topic's first posts, a
// partnership's first projects), for the Hub's query template
// (ent/template/query.tmpl) and entgql's collection code (ent/entc.go
// points its LimitPerRow at limitPerParent).

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
)

// maxLateralParents is the most parents whose pages are read through
// LATERAL (see perParentPage); longer lists are numbered. Through LATERAL
// PostgreSQL looks up each parent's rows apart: for the posts of 21 topics
// (40 each, 3 kept) 0.65-0.92 ms instead of 1.02-1.13 ms for numbering
// all 840, a cost that grows with the posts per topic; for the projects of
// 309 partnerships (a few each) 0.67 ms instead of 0.57.
const maxLateralParents = 50

// Names in the LATERAL statement: the parents' ids, unnested.
const (
	lateralParents  = "hub_parent"
	lateralParentID = "hub_parent_id"
)

// perParentPage is the first page of each parent's rows of a one-to-many
// edge (limit rows in orderBy), loaded for several parents in one
// statement. entgql numbers each parent's rows in a window and keeps the
// first (LimitPerRow), which reads every row of every parent. When the
// parents' query gives their ids (perParentIDs), and the statement runs on
// PostgreSQL for at most maxLateralParents parents, the statement instead
// reads each parent's page alone:
//
//	SELECT <columns> FROM unnest($1::bigint[]) AS hub_parent(hub_parent_id)
//	CROSS JOIN LATERAL (<the page's statement> AND <fk> = hub_parent_id
//	                    ORDER BY <order> LIMIT <limit>) AS <table>
//
// The LATERAL subquery is a join that PostgreSQL can only run as a nested
// loop, so each parent's rows come out together in their page's order,
// which is all the loader needs. SQLite has no LATERAL and keeps the
// window. The page of a single parent (a node's, or a list of one) is a
// plain page on both databases: ORDER BY and LIMIT, no window to number
// the parent's every row.
//
// A counted page also counts each parent's rows that its filters and the
// read rules let through (totalCount): in the window, over each parent's
// partition (selectTotalOfPartition), in the pass that numbers them; in a
// plain page, in a subquery of the page's own filters (selectTotalInPage).
// A counted page of several parents stays in the window: through LATERAL
// PostgreSQL would count each parent's rows in a scan of their own, and
// its plan for each parent's page can go astray where a parent has many
// rows (the first municipalities of each country by id: it walked the
// primary key past the other countries' rows, 44 ms for 28 countries
// where the window took 24).
type perParentPage struct {
	column  string
	limit   int
	orderBy []sql.Querier
	counted bool
	// parents are the ids of the parents, set when the page is read
	// through LATERAL; single is set when it is read for one parent.
	parents []int64
	single  bool
}

// newPerParentPage returns the page of column's parents (see
// perParentPage) and the modifier that entgql's LimitPerRow would be.
func newPerParentPage(column string, limit int, counted bool, orderBy []sql.Querier) (*perParentPage, func(*sql.Selector)) {
	p := &perParentPage{column: column, limit: limit, orderBy: orderBy, counted: counted}
	return p, func(s *sql.Selector) {
		switch {
		case p.parents != nil:
			p.lateral(s)
		case p.single:
			p.plain(s)
		default:
			p.window(s)
		}
	}
}

// readFor tells the page that it is read for n parents on a database of
// dialect name, and reports whether it is read through LATERAL, each
// parent's apart (see perParentIDs). A nil page is read as it is.
func (p *perParentPage) readFor(n int, name string) bool {
	if p == nil {
		return false
	}
	p.single = n == 1
	return !p.single && !p.counted && name == dialect.Postgres && n <= maxLateralParents
}

// perParentIDs gives the page the ids of its parents, which the loader
// then no longer lists in the statement's filter.
func (p *perParentPage) perParentIDs(ids []int) {
	p.parents = make([]int64, len(ids))
	for i, id := range ids {
		p.parents[i] = int64(id)
	}
}

// window numbers the rows of every parent and keeps each one's first
// (entgql's LimitPerRow), counting each parent's rows when counted.
func (p *perParentPage) window(s *sql.Selector) {
	if p.counted {
		selectTotalOfPartition(p.column)(s)
	}
	entgql.LimitPerRow(p.column, p.limit, p.orderBy...)(s)
	if p.counted {
		selectTotalColumn(s)
	}
}

// plain reads the page of a single parent, whose id the statement's
// filter names. Its order names the columns of the page's own table, which
// SQLite would not tell from the joined tables' (see qualifiedOrder).
func (p *perParentPage) plain(s *sql.Selector) {
	if p.counted {
		selectTotalInPage(s)
	}
	order, _ := qualifiedOrder(s, p.orderBy)
	s.OrderExpr(order...).Limit(p.limit)
}

// lateral turns s, the statement of the rows of every parent, into the
// LATERAL statement of perParentPage (never a counted page's: readFor).
func (p *perParentPage) lateral(s *sql.Selector) {
	d := sql.Dialect(s.Dialect())
	alias := s.TableName()
	page := s.Clone()
	page.SetDistinct(false)
	page.Where(sql.P(func(b *sql.Builder) {
		b.Ident(page.C(p.column)).WriteString(" = ").Ident(lateralParents).WriteByte('.').Ident(lateralParentID)
	}))
	page.OrderExpr(p.orderBy...).Limit(p.limit)
	from := sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("unnest(").Arg(pq.Int64Array(p.parents)).WriteString("::bigint[]) AS ").
			Ident(lateralParents).Wrap(func(b *sql.Builder) { b.Ident(lateralParentID) }).
			WriteString(" CROSS JOIN LATERAL ").Wrap(func(b *sql.Builder) { b.Join(page) }).
			WriteString(" AS ").Ident(alias)
	})
	// As(alias) makes C qualify the columns that later modifiers select
	// with the LATERAL subquery's name.
	*s = *d.Select(s.UnqualifiedColumns()...).FromExpr(from).As(alias)
}
