package ent

import "github.com/bridgesoftrust/hub/internal/i18n"

// This file is written by hand (entc leaves it alone): the name(lang:)
// fields of the GraphQL schema bind to these methods, which gqlgen calls
// inline, without the goroutine it starts for a resolver.

// localized returns the translation of english into *lang, or english.
func localized(translations i18n.Texts, english string, lang *string) string {
	if lang == nil {
		return english
	}
	return translations.In(*lang, english)
}

// LocalizedName returns the country's name in lang, or in English.
func (c *Country) LocalizedName(lang *string) string {
	return localized(c.NameTranslations, c.Name, lang)
}

// LocalizedName returns the region's name in lang, or in English.
func (r *Region) LocalizedName(lang *string) string {
	return localized(r.NameTranslations, r.Name, lang)
}

// LocalizedName returns the municipality's name in lang, or in English.
func (m *Municipality) LocalizedName(lang *string) string {
	return localized(m.NameTranslations, m.Name, lang)
}

// LocalizedName returns the association's name in lang, or in English.
func (a *Association) LocalizedName(lang *string) string {
	return localized(a.NameTranslations, a.Name, lang)
}

// LocalizedName returns the organisation's name in lang, or in English.
func (o *Organisation) LocalizedName(lang *string) string {
	return localized(o.NameTranslations, o.Name, lang)
}
