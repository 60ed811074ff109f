// Package network answers questions on the partnership graph: the
// municipalities are its nodes and the partnerships (a Ukrainian and an EU
// municipality) its undirected links. Traversals run in the database as
// recursive common table expressions that PostgreSQL and SQLite both
// understand; only the partnerships the viewer may read are links, and
// every answer is bounded.
package network

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/partnership"
)

// Bounds of every traversal.
const (
	// MaxDepth is the deepest neighbourhood answered.
	MaxDepth = 3
	// MaxPathLength is the longest chain of partnerships a path search
	// looks for: two neighbourhoods of MaxDepth that meet.
	MaxPathLength = 2 * MaxDepth
	// MaxNodes bounds the municipalities a traversal reaches.
	MaxNodes = 2000
	// MaxLinks bounds the partnerships a traversal returns.
	MaxLinks = 5000
)

// link is a partnership as the graph sees it.
type link struct {
	ID int `json:"id"`
	UA int `json:"ukrainian_municipality_id"`
	EU int `json:"european_municipality_id"`
}

// ball is what a traversal reached: its links and whether a bound cut it.
type ball struct {
	links     []link
	truncated bool
}

// reach returns the links among the municipalities within depth
// partnerships of the seeds (depth 0: their whole connected components),
// using only partnerships the viewer may read. The graph is bipartite
// (every link joins a Ukrainian and an EU town), so two towns at the same
// distance are never linked and these links are exactly the ones walked.
func reach(ctx context.Context, client *ent.Client, seeds []int, depth int) (ball, error) {
	var links []link
	// An ordering, not a modifier: Ent applies it after the predicates,
	// so the walk itself keeps to the partnerships the viewer may read
	// (see db.StatementOf).
	err := client.Partnership.Query().Order(func(s *sql.Selector) {
		visible := s.Clone()
		restricted := s.P() != nil
		s.Prefix(sql.ExprFunc(func(b *sql.Builder) { writeReach(b, visible, restricted, seeds, depth) }))
		s.Where(sql.And(
			sql.ExprP("("+s.C(partnership.FieldUkrainianMunicipalityID)+" IN (SELECT node FROM ball))"),
			sql.ExprP("("+s.C(partnership.FieldEuropeanMunicipalityID)+" IN (SELECT node FROM ball))"),
		))
		s.Select(s.C(partnership.FieldID), s.C(partnership.FieldUkrainianMunicipalityID), s.C(partnership.FieldEuropeanMunicipalityID))
		s.OrderBy(s.C(partnership.FieldID)).Limit(MaxLinks + 1)
	}).Select(partnership.FieldID, partnership.FieldUkrainianMunicipalityID, partnership.FieldEuropeanMunicipalityID).Scan(ctx, &links)
	if err != nil {
		return ball{}, err
	}
	out := ball{links: links, truncated: len(links) > MaxLinks}
	if out.truncated {
		out.links = links[:MaxLinks]
	}
	if len(nodesOf(seeds, out.links)) > MaxNodes {
		out.truncated = true
	}
	return out, nil
}

// writeReach writes the WITH clause of a traversal: reach walks from the
// seeds along readable partnerships (each town once per distance, up to
// depth, or each town once when depth is 0), ball keeps at most MaxNodes+1
// of the towns reached.
func writeReach(b *sql.Builder, visible *sql.Selector, restricted bool, seeds []int, depth int) {
	ua, eu := "p."+partnership.FieldUkrainianMunicipalityID, "p."+partnership.FieldEuropeanMunicipalityID
	cols, start, step := "node", "", ""
	if depth > 0 {
		cols, start, step = "node, depth", ", 0", ", r.depth + 1"
	}
	b.WriteString("WITH RECURSIVE reach(" + cols + ") AS (SELECT m.id" + start + " FROM municipalities m WHERE m.id IN (")
	for i, id := range seeds {
		if i > 0 {
			b.Comma()
		}
		b.Arg(id)
	}
	b.WriteString(") UNION SELECT CASE WHEN " + ua + " = r.node THEN " + eu + " ELSE " + ua + " END" + step +
		" FROM reach r JOIN " + partnership.Table + " p ON (" + ua + " = r.node OR " + eu + " = r.node)")
	if depth > 0 {
		b.WriteString(" WHERE r.depth < ").Arg(depth)
	} else {
		b.WriteString(" WHERE 1 = 1")
	}
	if restricted {
		visible.Select(visible.C(partnership.FieldID))
		b.WriteString(" AND p.id IN (").Join(visible).WriteString(")")
	}
	b.WriteString("), ball(node) AS (SELECT DISTINCT node FROM reach LIMIT ").Arg(MaxNodes + 1).WriteString(")")
}

// nodesOf returns the seeds and the ends of the links, each once, in order
// of first appearance.
func nodesOf(seeds []int, links []link) []int {
	seen := map[int]bool{}
	var out []int
	add := func(id int) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, id := range seeds {
		add(id)
	}
	for _, l := range links {
		add(l.UA)
		add(l.EU)
	}
	return out
}
