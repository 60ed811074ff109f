package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/ent/topic"
)

// Result is a readable hit with its row.
type Result struct {
	Hit
	Node ent.Noder
	// Offset is the hit's position among all hits, for cursors.
	Offset int
}

// minBatch is the fewest index hits read at a time while filtering them:
// a page reads one more hit than it shows (at least minBatch), and more
// rounds when the viewer may not read some.
const minBatch = 20

// readers re-read rows of a kind by id through the viewer's privacy
// policies: only the rows the viewer may read come back.
var readers = map[Kind]func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error){
	ent.TypeMunicipality: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.Municipality.Query().Where(municipality.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypeMunicipality, hitPath...) }, q.All)
	},
	ent.TypeAssociation: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.Association.Query().Where(association.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypeAssociation, hitPath...) }, q.All)
	},
	ent.TypePartnership: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.Partnership.Query().Where(partnership.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypePartnership, hitPath...) }, q.All)
	},
	ent.TypeProject: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.Project.Query().Where(project.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypeProject, hitPath...) }, q.All)
	},
	ent.TypeActivity: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.Activity.Query().Where(activity.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypeActivity, hitPath...) }, q.All)
	},
	ent.TypeNewsItem: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.NewsItem.Query().Where(newsitem.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypeNewsItem, hitPath...) }, q.All)
	},
	ent.TypeTopic: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.Topic.Query().Where(topic.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypeTopic, hitPath...) }, q.All)
	},
	ent.TypePost: func(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
		q := c.Post.Query().Where(post.IDIn(ids...))
		return read(ctx, func() error { return ent.CollectFieldsAt(ctx, q, ent.TypePost, hitPath...) }, q.All)
	},
}

// hitPath leads from the search field to its hits.
var hitPath = []string{"edges", "node"}

// read returns the rows that all reads, after collect has made its query
// load what the search's selection asks of them (their edges then load
// for all hits at once).
func read[T ent.Noder](ctx context.Context, collect func() error, all func(context.Context) ([]T, error)) ([]ent.Noder, error) {
	if err := collect(); err != nil {
		return nil, err
	}
	return noders(all(ctx))
}

// noders converts a query's rows to Noders.
func noders[T ent.Noder](rows []T, err error) ([]ent.Noder, error) {
	out := make([]ent.Noder, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out, err
}

// Search returns up to limit readable results for query among kinds (all
// when empty), best first, starting after the hit at position after-1
// (after is the offset of the first hit to consider). It reads one more
// than limit when there is one, so that the caller knows a next page
// exists.
func Search(ctx context.Context, c *ent.Client, query string, kinds []Kind, offset, limit int) ([]Result, error) {
	v, ok := ixOf.Load(c)
	if !ok {
		return nil, errors.New("search: client not registered")
	}
	ix := v.(index)
	terms := Terms(query)
	var out []Result
	batch := max(limit+1, minBatch)
	for len(out) <= limit {
		hits, err := ix.query(ctx, c, terms, kinds, offset, batch)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		readable, err := readableNodes(ctx, c, hits)
		if err != nil {
			return nil, err
		}
		for i, h := range hits {
			if n := readable[h.ID]; n != nil && len(out) <= limit {
				out = append(out, Result{Hit: h, Node: n, Offset: offset + i})
			}
		}
		if len(hits) < batch {
			break
		}
		offset += len(hits)
	}
	return out, nil
}

// readableNodes re-reads the rows of hits with the viewer's context and
// returns those the viewer may read, by id.
func readableNodes(ctx context.Context, c *ent.Client, hits []Hit) (map[int]ent.Noder, error) {
	byKind := map[Kind][]int{}
	for _, h := range hits {
		byKind[h.Kind] = append(byKind[h.Kind], h.ID)
	}
	out := make(map[int]ent.Noder, len(hits))
	for kind, ids := range byKind {
		read := readers[kind]
		if read == nil {
			continue
		}
		nodes, err := read(ctx, c, ids)
		if err != nil && !errors.Is(err, privacy.Deny) {
			return nil, fmt.Errorf("search: reading %s: %w", kind, err)
		}
		for i, n := range nodes {
			out[ids0(nodes, i)] = n
		}
	}
	return out, nil
}

// ids0 returns the id of nodes[i].
func ids0(nodes []ent.Noder, i int) int {
	id, _ := createdID(nodes[i])
	return id
}

// Reindex rebuilds the documents of every searchable row (seed data,
// imports made before the index existed). It returns how many it wrote.
func Reindex(ctx context.Context, c *ent.Client) (int, error) {
	v, ok := ixOf.Load(c)
	if !ok {
		return 0, errors.New("search: client not registered")
	}
	ix := v.(index)
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	n := 0
	for _, kind := range Kinds() {
		ids, err := allIDs(ctx, c, kind)
		if err != nil {
			return n, err
		}
		if err := ix.sync(ctx, c, kind, ids, false); err != nil {
			return n, err
		}
		n += len(ids)
	}
	return n, nil
}

// ReindexIfEmpty runs Reindex when the index has no document.
func ReindexIfEmpty(ctx context.Context, c *ent.Client) (int, error) {
	v, ok := ixOf.Load(c)
	if !ok {
		return 0, errors.New("search: client not registered")
	}
	if n, err := v.(index).count(ctx, c); err != nil || n > 0 {
		return 0, err
	}
	return Reindex(ctx, c)
}

// allIDs lists the ids of every row of kind.
func allIDs(ctx context.Context, c *ent.Client, kind Kind) ([]int, error) {
	switch kind {
	case ent.TypeMunicipality:
		return c.Municipality.Query().IDs(ctx)
	case ent.TypeAssociation:
		return c.Association.Query().IDs(ctx)
	case ent.TypePartnership:
		return c.Partnership.Query().IDs(ctx)
	case ent.TypeProject:
		return c.Project.Query().IDs(ctx)
	case ent.TypeActivity:
		return c.Activity.Query().IDs(ctx)
	case ent.TypeNewsItem:
		return c.NewsItem.Query().IDs(ctx)
	case ent.TypeTopic:
		return c.Topic.Query().IDs(ctx)
	case ent.TypePost:
		return c.Post.Query().IDs(ctx)
	}
	return nil, fmt.Errorf("search: unknown kind %s", kind)
}
