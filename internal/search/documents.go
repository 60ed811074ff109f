// Package search is the Hub's full-text search: one document per searchable
// row (municipalities with every name translation, associations,
// partnerships, projects, activities, news items, forum topics and posts)
// in the table search_documents, written by an Ent hook in the transaction
// that changes the row and indexed by SQLite FTS5 or PostgreSQL full-text
// and trigram indexes. A document's text is folded in Go (case and
// diacritics, internal/collation) and Ukrainian text is indexed in Cyrillic
// and in its Latin transliteration, so "Kuldiga" finds Kuldīga, "Kharkiv"
// finds Харків and "Чугуїв" finds Chuhuiv. Search results are re-read
// through the viewer's privacy-filtered Ent queries.
package search

import (
	"context"
	"sort"
	"strings"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/collation"
	"github.com/bridgesoftrust/hub/internal/i18n"
)

// Kind is the Ent type name of a searchable row, e.g. "Municipality".
type Kind = string

// Document is what the index holds for one row: its global id, kind, the
// title shown to users and the searchable text (already folded).
type Document struct {
	ID    int
	Kind  Kind
	Title string
	Text  string
}

// loader reads a row (with privacy already decided by the caller) and
// returns its title and the raw texts to index.
type loader func(ctx context.Context, c *ent.Client, id int) (title string, texts []string, err error)

// loaders knows how to read each searchable kind.
var loaders = map[Kind]loader{
	ent.TypeMunicipality: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		m, err := c.Municipality.Get(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return m.Name, append([]string{m.Name, m.LocalName}, texts(m.NameTranslations)...), nil
	},
	ent.TypeAssociation: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		a, err := c.Association.Get(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return a.Name, append([]string{a.Name, a.Acronym}, texts(a.NameTranslations)...), nil
	},
	ent.TypePartnership: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		p, err := c.Partnership.Query().WithUkrainianMunicipality().WithEuropeanMunicipality().Where(partnership.ID(id)).Only(ctx)
		if err != nil {
			return "", nil, err
		}
		ua, eu := p.Edges.UkrainianMunicipality, p.Edges.EuropeanMunicipality
		all := append([]string{ua.Name, ua.LocalName, eu.Name, eu.LocalName}, texts(ua.NameTranslations)...)
		all = append(append(all, texts(eu.NameTranslations)...), p.Themes...)
		return ua.Name + " – " + eu.Name, all, nil
	},
	ent.TypeProject: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		p, err := c.Project.Get(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return p.Title, append(append([]string{p.Title}, texts(p.TitleTranslations)...), texts(p.Summary)...), nil
	},
	ent.TypeActivity: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		a, err := c.Activity.Get(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return a.Title, []string{a.Title, a.Place, a.Notes}, nil
	},
	ent.TypeNewsItem: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		n, err := c.NewsItem.Get(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return n.Title, []string{n.Title, n.Summary, n.Body}, nil
	},
	ent.TypeTopic: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		t, err := c.Topic.Get(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return t.Title, []string{t.Title}, nil
	},
	ent.TypePost: func(ctx context.Context, c *ent.Client, id int) (string, []string, error) {
		p, err := c.Post.Get(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return firstLine(p.Body), []string{p.Body}, nil
	},
}

// Kinds lists the searchable kinds in a fixed order.
func Kinds() []Kind {
	kinds := make([]Kind, 0, len(loaders))
	for k := range loaders {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// texts returns the values of a translation map in language order.
func texts(t i18n.Texts) []string {
	out := make([]string, 0, len(t))
	for _, lang := range t.Languages() {
		out = append(out, t[lang])
	}
	return out
}

// firstLine is the first line of s, cut to 100 runes, as a post's title.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}

// IndexText is the searchable form of texts: each folded (case and
// diacritics), followed by its Latin transliteration when it has Cyrillic
// letters, so both spellings match.
func IndexText(texts ...string) string {
	var parts []string
	for _, t := range texts {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		parts = append(parts, collation.Fold(t))
		if hasCyrillic(t) {
			parts = append(parts, collation.Fold(Transliterate(t)))
		}
	}
	return strings.Join(parts, " ")
}

// Terms splits a query into search terms: each word folded and, when it is
// Cyrillic, also transliterated. Each element is the list of alternatives
// for one word (any of which may match).
func Terms(query string) [][]string {
	var terms [][]string
	for _, w := range strings.FieldsFunc(collation.Fold(query), func(r rune) bool { return !isWordRune(r) }) {
		alts := []string{w}
		if hasCyrillic(w) {
			alts = append(alts, collation.Fold(Transliterate(w)))
		}
		terms = append(terms, alts)
	}
	return terms
}

// isWordRune reports whether r belongs in a search word.
func isWordRune(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || r > 0x7f && r != '’' && r != 'ʼ' && r != '«' && r != '»' && r != '–' && r != '—'
}
