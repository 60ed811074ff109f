package network

import (
	"context"
	"slices"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/db"
)

// MunicipalityNetwork is a municipality's neighbourhood: the towns within a number of
// partnerships of it (itself first) and the partnerships among them.
type MunicipalityNetwork struct {
	Municipalities []*ent.Municipality
	Partnerships   []*ent.Partnership
	// Truncated tells that a bound (MaxNodes, MaxLinks) cut the answer.
	Truncated bool
}

// PartnershipPath is a shortest chain of partnerships between two municipalities.
type PartnershipPath struct {
	// Municipalities from the first to the last, in order.
	Municipalities []*ent.Municipality
	// Partnerships in order: the i-th joins the i-th and (i+1)-th town.
	Partnerships []*ent.Partnership
	// Length is the number of partnerships.
	Length int
}

// MunicipalityDegree is a municipality with its number of readable partnerships.
type MunicipalityDegree struct {
	Municipality *ent.Municipality
	Degree       int
}

// PartnershipCluster is a connected component of the partnership graph.
type PartnershipCluster struct {
	Size           int
	Municipalities []*ent.Municipality
	Partnerships   []*ent.Partnership
}

// PartnershipClusters are the connected components around some municipalities.
type PartnershipClusters struct {
	Clusters  []*PartnershipCluster
	Truncated bool
}

// Neighbourhood returns the municipalities within depth (1 to MaxDepth)
// readable partnerships of the municipality id, and those partnerships.
func Neighbourhood(ctx context.Context, client *ent.Client, id, depth int) (*MunicipalityNetwork, error) {
	if depth < 1 || depth > MaxDepth {
		return nil, apierr.Input("depth", "depth must be between 1 and %d", MaxDepth)
	}
	if _, err := client.Municipality.Get(ctx, id); err != nil {
		return nil, err
	}
	b, err := reach(ctx, client, []int{id}, depth)
	if err != nil {
		return nil, err
	}
	out := &MunicipalityNetwork{Truncated: b.truncated}
	if out.Municipalities, err = municipalities(ctx, client, nodesOf([]int{id}, b.links), "municipalities"); err != nil {
		return nil, err
	}
	out.Partnerships, err = partnerships(ctx, client, b.links, "partnerships")
	return out, err
}

// ShortestPath returns a shortest chain of readable partnerships from one
// municipality to another, or nil when none of at most MaxPathLength
// exists. The database walks MaxDepth from each end; a shortest chain of
// that length lies within the union of the two neighbourhoods, where a
// breadth-first search finds it.
func ShortestPath(ctx context.Context, client *ent.Client, from, to int) (*PartnershipPath, error) {
	for field, id := range map[string]int{"fromId": from, "toId": to} {
		if _, err := client.Municipality.Get(ctx, id); err != nil {
			if ent.IsNotFound(err) {
				return nil, apierr.New(apierr.NotFound, "%s: no such municipality", field)
			}
			return nil, err
		}
	}
	a, err := reach(ctx, client, []int{from}, MaxDepth)
	if err != nil {
		return nil, err
	}
	b, err := reach(ctx, client, []int{to}, MaxDepth)
	if err != nil {
		return nil, err
	}
	nodes, links := bfs(append(a.links, b.links...), from, to)
	if nodes == nil {
		return nil, nil
	}
	out := &PartnershipPath{Length: len(links)}
	if out.Municipalities, err = municipalities(ctx, client, nodes, "municipalities"); err != nil {
		return nil, err
	}
	out.Partnerships, err = partnerships(ctx, client, links, "partnerships")
	return out, err
}

// bfs returns the towns and links of a shortest path from one town to
// another over links, or nil when there is none. Neighbours are visited
// in order of link id, so the answer is stable.
func bfs(links []link, from, to int) ([]int, []link) {
	adj := map[int][]link{}
	for _, l := range links {
		adj[l.UA] = append(adj[l.UA], l)
		adj[l.EU] = append(adj[l.EU], l)
	}
	via := map[int]link{}
	seen := map[int]bool{from: true}
	for queue := []int{from}; len(queue) > 0 && !seen[to]; queue = queue[1:] {
		n := queue[0]
		for _, l := range adj[n] {
			next := other(l, n)
			if !seen[next] {
				seen[next], via[next] = true, l
				queue = append(queue, next)
			}
		}
	}
	if !seen[to] {
		return nil, nil
	}
	nodes, path := []int{to}, []link{}
	for n := to; n != from; {
		l := via[n]
		path = append(path, l)
		n = other(l, n)
		nodes = append(nodes, n)
	}
	slices.Reverse(nodes)
	slices.Reverse(path)
	return nodes, path
}

// other returns the end of l that is not n.
func other(l link, n int) int {
	if l.UA == n {
		return l.EU
	}
	return l.UA
}

// MostConnected returns the first municipalities of q (the viewer's,
// filtered query) with the most readable partnerships, most first, ties
// by id; towns without partnerships are left out.
func MostConnected(ctx context.Context, client *ent.Client, q *ent.MunicipalityQuery, first int) ([]*MunicipalityDegree, error) {
	if first < 1 || first > MaxNodes {
		return nil, apierr.Input("first", "first must be between 1 and %d", MaxNodes)
	}
	var rows []struct {
		ID     int `json:"id"`
		Degree int `json:"degree"`
	}
	ends, err := linkEnds(ctx, client)
	if err != nil {
		return nil, err
	}
	err = q.Modify(func(s *sql.Selector) {
		d := sql.Select("m", "COUNT(*) AS degree").From(ends).GroupBy("m").As("d")
		s.Join(d).On(s.C(municipality.FieldID), d.C("m"))
		s.Select(s.C(municipality.FieldID), d.C("degree"))
		s.OrderExpr(sql.Expr(d.C("degree") + " DESC")).OrderBy(s.C(municipality.FieldID)).Limit(first)
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	ms, err := municipalities(ctx, client, ids, "municipality")
	if err != nil {
		return nil, err
	}
	out := make([]*MunicipalityDegree, 0, len(ms))
	byID := map[int]int{}
	for _, r := range rows {
		byID[r.ID] = r.Degree
	}
	for _, m := range ms {
		out = append(out, &MunicipalityDegree{Municipality: m, Degree: byID[m.ID]})
	}
	return out, nil
}

// linkEnds returns a table (column m) with both ends of each partnership
// the viewer may read, a town once per partnership it takes part in.
func linkEnds(ctx context.Context, client *ent.Client) (*sql.Selector, error) {
	visible, err := db.StatementOf(func(order func(*sql.Selector)) error {
		_, err := client.Partnership.Query().Order(order).IDs(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	ua := visible.Clone().Select(sql.As(visible.C(partnership.FieldUkrainianMunicipalityID), "m"))
	eu := visible.Clone().Select(sql.As(visible.C(partnership.FieldEuropeanMunicipalityID), "m"))
	return sql.SelectExpr(sql.ExprFunc(func(b *sql.Builder) { b.WriteString("*") })).
		From(ua.UnionAll(eu).As("ends")).As("ends"), nil
}

// municipalities loads the municipalities ids in that order through the
// viewer's query, so their privacy applies; ids the viewer may not read
// are left out. In GraphQL they load what the fields at names (below the
// resolver's field) select, for all of them at once.
func municipalities(ctx context.Context, client *ent.Client, ids []int, names ...string) ([]*ent.Municipality, error) {
	q := client.Municipality.Query().Where(municipality.IDIn(ids...))
	if err := ent.CollectFieldsAt(ctx, q, "Municipality", names...); err != nil {
		return nil, err
	}
	ms, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	return inOrder(ms, ids, func(m *ent.Municipality) int { return m.ID }), nil
}

// partnerships loads the partnerships of links in that order through the
// viewer's query, with what the fields at names select (as
// municipalities).
func partnerships(ctx context.Context, client *ent.Client, links []link, names ...string) ([]*ent.Partnership, error) {
	ids := linkIDs(links)
	q := client.Partnership.Query().Where(partnership.IDIn(ids...))
	if err := ent.CollectFieldsAt(ctx, q, "Partnership", names...); err != nil {
		return nil, err
	}
	ps, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	return inOrder(ps, ids, func(p *ent.Partnership) int { return p.ID }), nil
}

// inOrder returns the items whose ids are in ids, in that order.
func inOrder[T any](items []T, ids []int, id func(T) int) []T {
	byID := make(map[int]T, len(items))
	for _, item := range items {
		byID[id(item)] = item
	}
	out := make([]T, 0, len(ids))
	for _, v := range ids {
		if item, ok := byID[v]; ok {
			out = append(out, item)
		}
	}
	return out
}

// linkIDs returns the partnership of each link.
func linkIDs(links []link) []int {
	ids := make([]int, len(links))
	for i, l := range links {
		ids[i] = l.ID
	}
	return ids
}
