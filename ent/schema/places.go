package schema

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/hook"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/authz"
)

// A partnership keeps a copy of the places of its two municipalities (the
// Ukrainian one's country and region, the EU one's country), so that the
// grouped aggregates by country and oblast read the partnerships alone
// instead of joining 200,000 of them with the municipalities. Two hooks
// keep the copy in the transaction of each change: one when a partnership
// gets its municipalities, one when a municipality changes its country or
// region. The migration partnership_places filled in the existing rows.

// place is a municipality's country and region.
type place struct {
	ID        int  `json:"id"`
	CountryID int  `json:"country_id"`
	RegionID  *int `json:"region_id"`
}

// keepPartnershipPlaces copies the places of the municipalities a
// partnership is created with or moved to onto the partnership.
func keepPartnershipPlaces() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PartnershipFunc(func(ctx context.Context, m *gen.PartnershipMutation) (ent.Value, error) {
			if err := setPartnershipPlaces(ctx, m); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

// setPartnershipPlaces sets the place fields of m from the municipalities
// it sets, read in one query.
func setPartnershipPlaces(ctx context.Context, m *gen.PartnershipMutation) error {
	ua, hasUA := m.UkrainianMunicipalityID()
	eu, hasEU := m.EuropeanMunicipalityID()
	if !hasUA && !hasEU {
		return nil
	}
	var rows []place
	err := m.Client().Municipality.Query().Where(municipality.IDIn(ua, eu)).
		Select(municipality.FieldID, municipality.FieldCountryID, municipality.FieldRegionID).
		Scan(authz.SystemContext(ctx), &rows)
	if err != nil {
		return fmt.Errorf("reading the places of the partnership's municipalities: %w", err)
	}
	for _, p := range rows {
		if hasUA && p.ID == ua {
			m.SetUkrainianCountryID(p.CountryID)
			if p.RegionID != nil {
				m.SetUkrainianRegionID(*p.RegionID)
			} else {
				m.ClearUkrainianRegionID()
			}
		}
		if hasEU && p.ID == eu {
			m.SetEuropeanCountryID(p.CountryID)
		}
	}
	return nil
}

// copyPlaceToPartnerships copies a municipality's new country or region
// onto its partnerships, after the change and in its transaction.
func copyPlaceToPartnerships() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MunicipalityFunc(func(ctx context.Context, m *gen.MunicipalityMutation) (ent.Value, error) {
			_, country := m.CountryID()
			_, region := m.RegionID()
			if !country && !region && !m.RegionCleared() {
				return next.Mutate(ctx, m)
			}
			ids, err := m.IDs(authz.SystemContext(ctx))
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			return v, copyPlaces(ctx, m.Client(), ids)
		})
	}, ent.OpUpdate|ent.OpUpdateOne)
}

// copyPlaces rewrites the place fields of the partnerships of the
// municipalities ids from the municipalities, in two statements. The ids
// are integers written into the statement, which is the same on SQLite
// and PostgreSQL.
func copyPlaces(ctx context.Context, client *gen.Client, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = fmt.Sprint(id)
	}
	in := "(" + strings.Join(list, ", ") + ")"
	for _, statement := range []string{
		`UPDATE partnerships SET ukrainian_country_id = (SELECT m.country_id FROM municipalities m WHERE m.id = partnerships.ukrainian_municipality_id),
			ukrainian_region_id = (SELECT m.region_id FROM municipalities m WHERE m.id = partnerships.ukrainian_municipality_id)
			WHERE ukrainian_municipality_id IN ` + in,
		`UPDATE partnerships SET european_country_id = (SELECT m.country_id FROM municipalities m WHERE m.id = partnerships.european_municipality_id)
			WHERE european_municipality_id IN ` + in,
	} {
		if _, err := client.ExecContext(ctx, statement); err != nil {
			return fmt.Errorf("copying the municipalities' places to their partnerships: %w", err)
		}
	}
	return nil
}
