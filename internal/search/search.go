package search

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/ent/topic"
)

// Type is a kind of record the search covers (the GraphQL enum SearchType).
type Type string

// The searchable types.
const (
	Municipality Type = "MUNICIPALITY"
	Association  Type = "ASSOCIATION"
	Partnership  Type = "PARTNERSHIP"
	Project      Type = "PROJECT"
	Activity     Type = "ACTIVITY"
	News         Type = "NEWS"
	ForumTopic   Type = "FORUM_TOPIC"
	ForumPost    Type = "FORUM_POST"
)

// Types lists every searchable type, the default of a search.
var Types = []Type{Municipality, Association, Partnership, Project, Activity, News, ForumTopic, ForumPost}

// MaxResults bounds how far a search pages: offset plus page size.
const MaxResults = 500

// Hit is one record found, with its rank (1 for an exact match of a whole
// field, less for a prefix, a word, a substring) and the passages of its
// text that match, the matching word in «».
type Hit struct {
	Node       ent.Noder
	ID         int
	Position   int // in the whole result, for the cursor
	Rank       float64
	Highlights []string
}

// finder loads the records of one type whose text may match the query and
// gives each its texts to rank.
type finder func(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error)

type candidate struct {
	node  ent.Noder
	id    int
	texts []string
}

var finders = map[Type]finder{
	Municipality: findMunicipalities, Association: findAssociations, Partnership: findPartnerships,
	Project: findProjects, Activity: findActivities, News: findNews, ForumTopic: findTopics, ForumPost: findPosts,
}

// Search finds the records of the given types (all when empty) that
// match query and that the viewer in ctx may read: every load goes through
// the Ent privacy policies. It returns up to first hits after offset, best
// first, and whether more follow.
func Search(ctx context.Context, c *ent.Client, query string, types []Type, offset, first int) ([]Hit, bool, error) {
	m := newMatcher(query)
	if len(types) == 0 {
		types = Types
	}
	limit := min(offset+first+1, MaxResults)
	var hits []Hit
	for _, t := range dedupe(types) {
		cands, err := finders[t](ctx, c, m, limit)
		if err != nil {
			return nil, false, err
		}
		for _, cd := range cands {
			if h, ok := m.hit(cd); ok {
				hits = append(hits, h)
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Rank != hits[j].Rank {
			return hits[i].Rank > hits[j].Rank
		}
		return hits[i].ID < hits[j].ID
	})
	if offset >= len(hits) {
		return nil, false, nil
	}
	hits = hits[offset:]
	more := len(hits) > first
	for i := range hits[:min(first, len(hits))] {
		hits[i].Position = offset + i + 1
	}
	return hits[:min(first, len(hits))], more, nil
}

func dedupe(types []Type) []Type {
	seen := map[Type]bool{}
	var out []Type
	for _, t := range types {
		if !seen[t] && finders[t] != nil {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// matcher holds a query in the spellings the database compares with its
// folded text: as typed, as a Latin key and, for a Latin query, in
// Cyrillic.
type matcher struct {
	key      string
	variants []string
}

func newMatcher(query string) matcher {
	q := strings.TrimSpace(query)
	key := Key(q)
	variants := []string{q}
	for _, v := range []string{key, Cyrillic(key)} {
		if v != q && v != "" {
			variants = append(variants, v)
		}
	}
	return matcher{key: key, variants: variants}
}

// or builds a predicate matching any variant in any of the given fields
// through the API's diacritic-insensitive ContainsFold.
func or[P ~func(*sql.Selector)](m matcher, fields ...func(string) P) []P {
	var ps []P
	for _, f := range fields {
		for _, v := range m.variants {
			ps = append(ps, f(v))
		}
	}
	return ps
}

// hit ranks a candidate by the best of its texts and collects highlights.
func (m matcher) hit(cd candidate) (Hit, bool) {
	h := Hit{Node: cd.node, ID: cd.id}
	for _, text := range cd.texts {
		k := Key(text)
		pos := strings.Index(k, m.key)
		if text == "" || pos < 0 {
			continue
		}
		rank := 0.4
		switch {
		case k == m.key:
			rank = 1
		case pos == 0:
			rank = 0.8
		case !unicode.IsLetter(rune(k[pos-1])):
			rank = 0.6
		}
		h.Rank = max(h.Rank, rank)
		h.Highlights = append(h.Highlights, m.highlight(text))
	}
	return h, h.Rank > 0
}

// highlight returns the words around the first word that matches, that
// word in «», at most 10 words either side.
func (m matcher) highlight(text string) string {
	words := strings.Fields(text)
	at := 0
	for i, w := range words {
		if strings.Contains(Key(w), m.key) || strings.Contains(m.key, Key(w)) && len(Key(w)) > 2 {
			at = i
			break
		}
	}
	from, to := max(0, at-10), min(len(words), at+11)
	out := append([]string{}, words[from:to]...)
	out[at-from] = "«" + out[at-from] + "»"
	s := strings.Join(out, " ")
	if from > 0 {
		s = "… " + s
	}
	if to < len(words) {
		s += " …"
	}
	return s
}

func nodes[T ent.Noder](rows []T, texts func(T) (int, []string)) []candidate {
	out := make([]candidate, len(rows))
	for i, r := range rows {
		id, t := texts(r)
		out[i] = candidate{node: r, id: id, texts: t}
	}
	return out
}

func findMunicipalities(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.Municipality.Query().Where(municipalityMatch(m)).Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.Municipality) (int, []string) { return r.ID, []string{r.Name, r.LocalName} }), err
}

func municipalityMatch(m matcher) predicate.Municipality {
	return municipality.Or(or(m, municipality.NameContainsFold, municipality.LocalNameContainsFold)...)
}

func findAssociations(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.Association.Query().Where(association.Or(or(m, association.NameContainsFold, association.AcronymContainsFold)...)).Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.Association) (int, []string) { return r.ID, []string{r.Name, r.Acronym} }), err
}

func findPartnerships(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.Partnership.Query().
		Where(partnership.Or(partnership.HasUkrainianMunicipalityWith(municipalityMatch(m)), partnership.HasEuropeanMunicipalityWith(municipalityMatch(m)))).
		WithUkrainianMunicipality().WithEuropeanMunicipality().Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.Partnership) (int, []string) {
		var texts []string
		for _, t := range []*ent.Municipality{r.Edges.UkrainianMunicipality, r.Edges.EuropeanMunicipality} {
			if t != nil {
				texts = append(texts, t.Name+" "+t.LocalName)
			}
		}
		return r.ID, texts
	}), err
}

func findProjects(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.Project.Query().Where(project.Or(or(m, project.TitleContainsFold)...)).Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.Project) (int, []string) { return r.ID, []string{r.Title} }), err
}

func findActivities(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.Activity.Query().Where(activity.Or(or(m, activity.TitleContainsFold, activity.PlaceContainsFold)...)).Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.Activity) (int, []string) { return r.ID, []string{r.Title, r.Place} }), err
}

func findNews(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.NewsItem.Query().Where(newsitem.Or(or(m, newsitem.TitleContainsFold, newsitem.SummaryContainsFold, newsitem.BodyContainsFold)...)).Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.NewsItem) (int, []string) { return r.ID, []string{r.Title, r.Summary, r.Body} }), err
}

func findTopics(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.Topic.Query().Where(topic.Or(or(m, topic.TitleContainsFold)...)).Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.Topic) (int, []string) { return r.ID, []string{r.Title} }), err
}

func findPosts(ctx context.Context, c *ent.Client, m matcher, limit int) ([]candidate, error) {
	rows, err := c.Post.Query().Where(post.Or(or(m, post.BodyContainsFold)...)).Limit(limit).All(ctx)
	return nodes(rows, func(r *ent.Post) (int, []string) { return r.ID, []string{r.Body} }), err
}
