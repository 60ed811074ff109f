package importer

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/internal/collation"
	"github.com/bridgesoftrust/hub/internal/i18n"
)

// lexicon holds the stored entities of one kind by every name they are
// known by: each entity's key (the name the Resolver finds it by: a phase
// name, an acronym, a municipality's English name) under the folded forms
// (collation.Fold: no case, no diacritics) of its key, its other names and
// its translations.
type lexicon struct {
	keys   map[string]bool
	byFold map[string][]string
}

func newLexicon() *lexicon { return &lexicon{keys: map[string]bool{}, byFold: map[string][]string{}} }

// add records an entity's key and the other names it is known by.
func (l *lexicon) add(key string, names ...string) {
	l.keys[key] = true
	for _, n := range append([]string{key}, names...) {
		f := collation.Fold(cleanName(n))
		if f != "" && !slices.Contains(l.byFold[f], key) {
			l.byFold[f] = append(l.byFold[f], key)
		}
	}
}

// addTranslations adds the translations of an entity's name.
func (l *lexicon) addTranslations(key string, names ...string) func(i18n.Texts) {
	return func(t i18n.Texts) { l.add(key, append(names, slices.Sorted(maps.Values(t))...)...) }
}

// lookup finds the key a name of a file stands for: the key itself, or
// the one entity known by the name ignoring case and diacritics. It
// returns every candidate when several entities are.
func (l *lexicon) lookup(given string) (key string, several []string) {
	if l.keys[given] {
		return given, nil
	}
	switch found := l.byFold[collation.Fold(given)]; len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	default:
		return "", slices.Sorted(slices.Values(found))
	}
}

// nearMisses returns, for each name of unknown, a key of l known by a
// name one edit away (see nearIndex), if any.
func (l *lexicon) nearMisses(unknown []string) map[string]string {
	ix := newNearIndex(unknown)
	for _, folded := range slices.Sorted(maps.Keys(l.byFold)) {
		ix.offer(folded, l.byFold[folded][0])
	}
	return ix.found
}

// minNearLen is the shortest folded name (in characters) for which a name
// one edit away counts as a near miss; shorter names differ too much.
const minNearLen = 4

// nearIndex finds names one edit apart (one character inserted, deleted
// or replaced, or two neighbours swapped), ignoring case and diacritics,
// by the symmetric deletion method: two strings are that close when
// deleting at most one character from each makes them equal. Stored names
// are offered one by one against an index of the few names looked for, so
// that a file of thousands of names checks against a store of a hundred
// thousand in one pass, which pairwise edit distances (the libraries at
// hand compute only those) cannot.
type nearIndex struct {
	variants map[string][]string
	found    map[string]string
}

func newNearIndex(names []string) *nearIndex {
	ix := &nearIndex{variants: map[string][]string{}, found: map[string]string{}}
	for _, n := range names {
		f := collation.Fold(n)
		if len([]rune(f)) < minNearLen {
			continue
		}
		for _, v := range deletions(f) {
			ix.variants[v] = append(ix.variants[v], n)
		}
	}
	return ix
}

// offer matches a stored name's folded form, standing for key, against
// the names looked for.
func (ix *nearIndex) offer(folded, key string) {
	for _, v := range deletions(folded) {
		for _, n := range ix.variants[v] {
			if _, done := ix.found[n]; !done {
				ix.found[n] = key
			}
		}
	}
}

// deletions returns s and every string made by deleting one character.
func deletions(s string) []string {
	rs := []rune(s)
	out := make([]string, 0, len(rs)+1)
	out = append(out, s)
	for i := range rs {
		out = append(out, string(rs[:i])+string(rs[i+1:]))
	}
	return out
}

// didYouMean writes ` (did you mean "x"?)`, or "" without a suggestion.
func didYouMean(suggestion string) string {
	if suggestion == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", suggestion)
}

// nameMatcher matches the names the valid rows give against the store:
// each phase, association and municipality named by another case, other
// diacritics or a translation is replaced by the stored entity's key and
// reported as a Match. Rows naming a phase or association the store does
// not have fail unless opts.CreateMissing; so do rows naming a new
// municipality one edit away from a stored one in the same country. Each
// problem names its line and, where one is close, the stored name meant.
type nameMatcher struct {
	res      *Resolver
	create   bool
	matches  []Match
	warnings []string
}

// matchNames runs the matching on rows (see nameMatcher) and returns the
// matches and the warnings (near misses that --create-missing creates).
func (r *Resolver) matchNames(ctx context.Context, rows []*row, createMissing bool) ([]Match, []string, error) {
	m := &nameMatcher{res: r, create: createMissing}
	steps := []func(context.Context, []*row) error{m.phases, m.associations, m.municipalities}
	for _, step := range steps {
		if err := step(ctx, rows); err != nil {
			return nil, nil, err
		}
	}
	return m.matches, m.warnings, nil
}

// ref is one name a row gives, and where to write the stored key.
type ref struct {
	rw  *row
	col string
	ptr *string
}

// resolve matches refs against lex: found names are replaced, names of
// several entities fail their rows, and unknown ones are handed to
// unknown with the near miss of each.
func (m *nameMatcher) resolve(lex *lexicon, entity string, refs []ref, found func(key string) string,
	unknown func(r ref, near string)) {
	var missing []ref
	for _, r := range refs {
		given := *r.ptr
		key, several := lex.lookup(given)
		switch {
		case len(several) > 0:
			r.rw.fail("%s %q names several %s entries: %s", r.col, given, entity, strings.Join(several, ", "))
		case key == "":
			missing = append(missing, r)
		case key != given:
			*r.ptr = key
			m.matches = append(m.matches, Match{Line: r.rw.line, Entity: entity, Given: given, Found: found(key)})
		}
	}
	names := make([]string, len(missing))
	for i, r := range missing {
		names[i] = *r.ptr
	}
	near := lex.nearMisses(names)
	for _, r := range missing {
		unknown(r, near[*r.ptr])
	}
}

// refuse fails the row of an unknown name unless missing entries are
// created, when it warns of a near miss instead.
func (m *nameMatcher) refuse(r ref, entity, near string) {
	if !m.create {
		r.rw.fail("%s %q is not in the Hub%s; --create-missing creates it", r.col, *r.ptr, didYouMean(near))
		return
	}
	if near != "" {
		m.warnings = append(m.warnings, fmt.Sprintf("line %d: %s %q is created as a new %s%s", r.rw.line, r.col, *r.ptr, entity, didYouMean(near)))
	}
}

func (m *nameMatcher) phases(ctx context.Context, rows []*row) error {
	stored, err := m.res.client.Phase.Query().Select(phase.FieldName).All(ctx)
	if err != nil {
		return err
	}
	lex := newLexicon()
	for _, p := range stored {
		lex.add(p.Name)
	}
	refs := make([]ref, 0, len(rows))
	for _, rw := range rows {
		refs = append(refs, ref{rw, colPhase, &rw.spec.Phase})
	}
	m.resolve(lex, "phase", refs, func(k string) string { return k },
		func(r ref, near string) { m.refuse(r, "phase", near) })
	return nil
}

func (m *nameMatcher) associations(ctx context.Context, rows []*row) error {
	stored, err := m.res.client.Association.Query().
		Select(association.FieldAcronym, association.FieldName, association.FieldNameTranslations).All(ctx)
	if err != nil {
		return err
	}
	lex := newLexicon()
	for _, a := range stored {
		lex.addTranslations(a.Acronym, a.Name)(a.NameTranslations)
	}
	var refs []ref
	for _, rw := range rows {
		for i := range rw.spec.Facilitators {
			refs = append(refs, ref{rw, colAssociation, &rw.spec.Facilitators[i]})
		}
	}
	m.resolve(lex, "association", refs, func(k string) string { return k },
		func(r ref, near string) { m.refuse(r, "association", near) })
	return nil
}

// municipalities matches the municipalities of the rows within their
// countries. A new one one edit away from a stored one is refused (unless
// created anyway); the other new ones are created, spelled as the first
// row naming them, later rows naming them another way being matched to
// that spelling.
func (m *nameMatcher) municipalities(ctx context.Context, rows []*row) error {
	byCountry := map[string][]ref{}
	for _, rw := range rows {
		byCountry[Ukraine] = append(byCountry[Ukraine], ref{rw, colUA, &rw.spec.Ukrainian.Name})
		byCountry[rw.spec.European.Country] = append(byCountry[rw.spec.European.Country], ref{rw, colEU, &rw.spec.European.Name})
	}
	lexicons, err := m.municipalityLexicons(ctx, slices.Sorted(maps.Keys(byCountry)))
	if err != nil {
		return err
	}
	for _, code := range slices.Sorted(maps.Keys(byCountry)) {
		lex := lexicons[code]
		if lex == nil {
			lex = newLexicon()
		}
		display := func(k string) string { return MunicipalityKey{code, k}.String() }
		fresh := map[string]freshName{}
		m.resolve(lex, "municipality", byCountry[code], display, func(r ref, near string) {
			if near != "" {
				m.refuse(r, "municipality of "+code, display(near))
				return
			}
			m.spellAsFirst(fresh, r, display)
		})
	}
	return nil
}

// freshName is the spelling of a new municipality in its first row.
type freshName struct {
	spelling string
	line     int
}

// spellAsFirst makes the rows that name one new municipality in different
// ways (case, diacritics) use the spelling of the first of them.
func (m *nameMatcher) spellAsFirst(fresh map[string]freshName, r ref, display func(string) string) {
	f := collation.Fold(*r.ptr)
	first, seen := fresh[f]
	if !seen {
		fresh[f] = freshName{*r.ptr, r.rw.line}
		return
	}
	if first.spelling != *r.ptr {
		m.matches = append(m.matches, Match{Line: r.rw.line, Entity: "municipality", Given: *r.ptr,
			Found: fmt.Sprintf("%s, new as on line %d", display(first.spelling), first.line)})
		*r.ptr = first.spelling
	}
}

// municipalityLexicons loads the stored municipalities of the countries
// by code, with their local names and translations.
func (m *nameMatcher) municipalityLexicons(ctx context.Context, codes []string) (map[string]*lexicon, error) {
	if err := m.res.countries.load(ctx, codes, m.res.findCountries, countryCode); err != nil {
		return nil, err
	}
	var ids []int
	for _, code := range codes {
		if c := m.res.countries.get(code); c != nil {
			ids = append(ids, c.ID)
		}
	}
	out := map[string]*lexicon{}
	for _, chunk := range chunks(ids, lookupChunk) {
		list, err := m.res.client.Municipality.Query().Where(municipality.CountryIDIn(chunk...)).
			Select(municipality.FieldCountryID, municipality.FieldName, municipality.FieldLocalName, municipality.FieldNameTranslations).
			All(ctx)
		if err != nil {
			return nil, err
		}
		addMunicipalities(out, list, m.res.codeOf)
	}
	return out, nil
}

// addMunicipalities adds each municipality to the lexicon of its country.
func addMunicipalities(out map[string]*lexicon, list []*ent.Municipality, codeOf func(int) string) {
	for _, mu := range list {
		code := codeOf(mu.CountryID)
		if out[code] == nil {
			out[code] = newLexicon()
		}
		out[code].addTranslations(mu.Name, mu.LocalName)(mu.NameTranslations)
	}
}
