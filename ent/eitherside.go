package ent

// This file is written by hand (entc leaves it alone): the pages of
// Municipality.partnerships, a municipality's partnerships as the
// Ukrainian or the EU side. No Ent edge spans both foreign keys, so
// entgql's eager loading (one statement per edge, partitioned by the
// edge's key) cannot load it; this loads the pages of many municipalities
// in one statement that numbers each side's rows apart.

import (
	"context"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/ent/partnership"
)

// partnershipSide is one foreign key of a partnership to a municipality,
// with the columns in which a page's statement numbers and counts the
// rows of each municipality on that side.
type partnershipSide struct {
	column, row, total string
	owner              func(*Partnership) int
}

// partnershipSides are the Ukrainian and the EU side of a partnership.
var partnershipSides = []partnershipSide{
	{partnership.FieldUkrainianMunicipalityID, "hub_row_ua", "hub_total_ua",
		func(p *Partnership) int { return p.UkrainianMunicipalityID }},
	{partnership.FieldEuropeanMunicipalityID, "hub_row_eu", "hub_total_eu",
		func(p *Partnership) int { return p.EuropeanMunicipalityID }},
}

// PagesOfMunicipalities returns the page (after, first, before, last,
// opts) of the partnerships of each municipality of ids, on either side,
// as far as the privacy rules let the viewer of ctx read them; the fields
// of ctx (the connection field's) decide what the pages load. One
// statement reads every page with its totals, a second counts the totals
// when a cursor is given (the page's statement then only sees the rows
// past it).
func (c *PartnershipClient) PagesOfMunicipalities(ctx context.Context, ids []int,
	after *Cursor, first *int, before *Cursor, last *int, opts ...PartnershipPaginateOption,
) (map[int]*PartnershipConnection, error) {
	if err := validateFirstLast(first, last); err != nil {
		return nil, err
	}
	pager, err := newPartnershipPager(opts, last != nil)
	if err != nil {
		return nil, err
	}
	query, err := pager.applyFilter(c.Query().Where(partnership.Or(
		partnership.UkrainianMunicipalityIDIn(ids...), partnership.EuropeanMunicipalityIDIn(ids...))))
	if err != nil {
		return nil, err
	}
	conns := make(map[int]*PartnershipConnection, len(ids))
	for _, id := range ids {
		conns[id] = &PartnershipConnection{Edges: []*PartnershipEdge{}}
	}
	ignoredEdges := !hasCollectedField(ctx, edgesField)
	wantTotal := hasCollectedField(ctx, totalCountField) || hasCollectedField(ctx, pageInfoField)
	countInPage := wantTotal && !ignoredEdges && after == nil && before == nil
	if wantTotal && !countInPage {
		if err := countBySide(ctx, query.Clone(), conns); err != nil {
			return nil, err
		}
	}
	if ignoredEdges || (first != nil && *first == 0) || (last != nil && *last == 0) {
		return conns, nil
	}
	if query, err = pager.applyCursors(query, after, before); err != nil {
		return nil, err
	}
	if field := collectedField(ctx, edgesField, nodeField); field != nil {
		if err := query.collectField(ctx, false, graphql.GetOperationContext(ctx), *field, []string{edgesField, nodeField}); err != nil {
			return nil, err
		}
	}
	if len(query.ctx.Fields) > 0 {
		for _, side := range partnershipSides {
			query.ctx.AppendFieldOnce(side.column)
		}
	}
	limit := paginateLimit(first, last)
	query.modifiers = append(query.modifiers, numberBySide(ids, limit, pager.orderExpr(query)))
	nodes, err := query.All(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := splitBySide(nodes, conns, limit, countInPage)
	if err != nil {
		return nil, err
	}
	for id, conn := range conns {
		page := pages[id]
		if limit > 0 && len(page) > limit { // rows on both sides: the first of the merged order
			page = page[:limit]
		}
		conn.build(page, pager, after, first, before, last)
	}
	return conns, nil
}

// countBySide adds to each connection of conns the number of rows of
// query on its municipality's side, in one grouped statement.
func countBySide(ctx context.Context, query *PartnershipQuery, conns map[int]*PartnershipConnection) error {
	var counts []struct {
		UA    int `sql:"ukrainian_municipality_id"`
		EU    int `sql:"european_municipality_id"`
		Count int `sql:"count"`
	}
	query.ctx.Fields = nil
	err := query.GroupBy(partnership.FieldUkrainianMunicipalityID, partnership.FieldEuropeanMunicipalityID).
		Aggregate(Count()).Scan(ctx, &counts)
	if err != nil {
		return err
	}
	for _, n := range counts {
		for _, owner := range []int{n.UA, n.EU} {
			if conn, ok := conns[owner]; ok {
				conn.TotalCount += n.Count
			}
		}
	}
	return nil
}

// numberBySide turns a statement of partnerships into one that keeps, for
// each municipality of ids on either side, its first limit rows in order
// (all when limit is 0), numbered and counted per side in the columns of
// partnershipSides, ordered by order. A partnership of two municipalities
// of ids is one row.
func numberBySide(ids []int, limit int, order sql.Querier) func(*sql.Selector) {
	owners := make([]any, len(ids))
	for i, id := range ids {
		owners[i] = id
	}
	return func(s *sql.Selector) {
		d := sql.Dialect(s.Dialect())
		s.SetDistinct(false)
		numbered := d.Select("*").From(d.Table("src_query"))
		columns := s.UnqualifiedColumns()
		for _, side := range partnershipSides {
			numbered.AppendSelectExprAs(sql.RowNumber().PartitionBy(side.column).OrderExpr(order), side.row).
				AppendSelectExprAs(sql.Window(func(b *sql.Builder) { b.WriteString("COUNT(*)") }).PartitionBy(side.column), side.total)
			columns = append(columns, side.row, side.total)
		}
		t := d.Table("numbered").As(s.TableName())
		onPage := make([]*sql.Predicate, 0, len(partnershipSides))
		for _, side := range partnershipSides {
			p := sql.In(t.C(side.column), owners...)
			if limit > 0 {
				p = sql.And(p, sql.LTE(t.C(side.row), limit))
			}
			onPage = append(onPage, p)
		}
		with := d.With("src_query").As(s.Clone()).With("numbered").As(numbered)
		*s = *d.Select(columns...).From(t).Where(sql.Or(onPage...)).OrderExpr(order).Prefix(with)
	}
}

// splitBySide deals the rows of numberBySide's statement, in order, to the
// pages of their municipalities in conns, and when countInPage sets each
// connection's total from its first row on each side.
func splitBySide(nodes []*Partnership, conns map[int]*PartnershipConnection, limit int, countInPage bool) (map[int][]*Partnership, error) {
	pages := make(map[int][]*Partnership, len(conns))
	for _, n := range nodes {
		for _, side := range partnershipSides {
			owner := side.owner(n)
			conn, ok := conns[owner]
			if !ok {
				continue
			}
			row, err := intValue(n.Value, side.row)
			if err != nil {
				return nil, err
			}
			if limit > 0 && row > limit {
				continue
			}
			pages[owner] = append(pages[owner], n)
			if countInPage && row == 1 {
				total, err := intValue(n.Value, side.total)
				if err != nil {
					return nil, err
				}
				conn.TotalCount += total
			}
		}
	}
	return pages, nil
}
