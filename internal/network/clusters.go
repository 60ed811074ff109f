package network

import (
	"context"
	"slices"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/apierr"
)

// ComponentsAround returns the connected components (over readable
// partnerships) that hold the municipalities of q, largest first, at most
// first of them. The database walks the components (a recursive CTE
// without a depth bound, each town once); splitting the links it returns
// into components is a union-find here.
func ComponentsAround(ctx context.Context, client *ent.Client, q *ent.MunicipalityQuery, first int) (*PartnershipClusters, error) {
	if first < 1 || first > MaxNodes {
		return nil, apierr.Input("first", "first must be between 1 and %d", MaxNodes)
	}
	seeds, err := q.Limit(MaxNodes + 1).IDs(ctx)
	if err != nil {
		return nil, err
	}
	if len(seeds) > MaxNodes {
		return nil, apierr.Input("where", "the filter matches more than %d municipalities; narrow it", MaxNodes)
	}
	out := &PartnershipClusters{}
	if len(seeds) == 0 {
		return out, nil
	}
	b, err := reach(ctx, client, seeds, 0)
	if err != nil {
		return nil, err
	}
	out.Truncated = b.truncated
	shown := components(seeds, b.links)
	shown = shown[:min(first, len(shown))]
	var nodes []int
	var links []link
	for _, c := range shown {
		nodes, links = append(nodes, c.nodes...), append(links, c.links...)
	}
	// The towns and partnerships of every cluster shown load in one
	// statement each (and their edges in one per edge).
	ms, err := municipalities(ctx, client, nodes, "clusters", "municipalities")
	if err != nil {
		return nil, err
	}
	ps, err := partnerships(ctx, client, links, "clusters", "partnerships")
	if err != nil {
		return nil, err
	}
	for _, c := range shown {
		out.Clusters = append(out.Clusters, &PartnershipCluster{Size: len(c.nodes),
			Municipalities: inOrder(ms, c.nodes, func(m *ent.Municipality) int { return m.ID }),
			Partnerships:   inOrder(ps, linkIDs(c.links), func(p *ent.Partnership) int { return p.ID })})
	}
	return out, nil
}

// component is one connected component: its towns and links by id.
type component struct {
	nodes []int
	links []link
}

// components splits the towns (seeds and link ends) into connected
// components, largest first, ties by smallest town id.
func components(seeds []int, links []link) []component {
	parent := map[int]int{}
	var find func(int) int
	find = func(n int) int {
		p, ok := parent[n]
		if !ok || p == n {
			parent[n] = n
			return n
		}
		r := find(p)
		parent[n] = r
		return r
	}
	for _, l := range links {
		a, b := find(l.UA), find(l.EU)
		parent[max(a, b)] = min(a, b)
	}
	byRoot := map[int]*component{}
	nodes := nodesOf(seeds, links)
	slices.Sort(nodes)
	for _, n := range nodes {
		r := find(n)
		if byRoot[r] == nil {
			byRoot[r] = &component{}
		}
		byRoot[r].nodes = append(byRoot[r].nodes, n)
	}
	for _, l := range links {
		c := byRoot[find(l.UA)]
		c.links = append(c.links, l)
	}
	out := make([]component, 0, len(byRoot))
	for _, c := range byRoot {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b component) int {
		if len(a.nodes) != len(b.nodes) {
			return len(b.nodes) - len(a.nodes)
		}
		return a.nodes[0] - b.nodes[0]
	})
	return out
}
