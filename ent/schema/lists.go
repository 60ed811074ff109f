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

// validateAppendedThemes checks the list that a partnership's themes
// become when an update appends to them (appendThemes): Ent runs a list
// field's validator on values that are set, not on appended ones.
func validateAppendedThemes() ent.Hook {
	check := stringList(maxThemes, maxThemeLen)
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PartnershipFunc(func(ctx context.Context, m *gen.PartnershipMutation) (ent.Value, error) {
			appended, ok := m.AppendedThemes()
			if !ok {
				return next.Mutate(ctx, m)
			}
			list, set := m.Themes()
			if !set && m.Op().Is(ent.OpUpdateOne) {
				old, err := m.OldThemes(ctx)
				if err != nil {
					return nil, err
				}
				list = old
			}
			if err := check(slices.Concat(list, appended)); err != nil {
				return nil, &validation.FieldError{Field: "themes", Err: err}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpUpdate|ent.OpUpdateOne)
}
