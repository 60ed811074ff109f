package schema

import (
	"context"
	"slices"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/hook"
	"github.com/bridgesoftrust/hub/internal/validation"
)

// Bounds of a partnership's themes.
const (
	maxThemes   = 20
	maxThemeLen = 100
)

// normaliseThemes checks the list a partnership's themes become and
// stores each theme once (the first time it is named), so that the themes
// are a set: a partnership counts once per theme in the grouped aggregates
// (internal/analytics) without a COUNT(DISTINCT). The list is checked as
// given, repeats and appended themes (appendThemes) included: Ent runs a
// list field's validator on values that are set, not on appended ones. An
// update of one partnership that appends themes is turned into setting the
// whole list; an update of several cannot see each one's list and may not
// append.
func normaliseThemes() ent.Hook {
	check := stringList(maxThemes, maxThemeLen)
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PartnershipFunc(func(ctx context.Context, m *gen.PartnershipMutation) (ent.Value, error) {
			list, set := m.Themes()
			appended, appends := m.AppendedThemes()
			switch {
			case appends && m.Op().Is(ent.OpUpdate):
				return nil, validation.Errorf("themes", "themes are appended to one partnership at a time")
			case appends && !set && m.Op().Is(ent.OpUpdateOne):
				old, err := m.OldThemes(ctx)
				if err != nil {
					return nil, err
				}
				list = old
			}
			all := slices.Concat(list, appended)
			if err := check(all); err != nil {
				return nil, &validation.FieldError{Field: "themes", Err: err}
			}
			if appends || len(distinct(all)) < len(all) {
				m.SetThemes(distinct(all))
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

// distinct returns list without repeated items, in first-seen order.
func distinct(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
