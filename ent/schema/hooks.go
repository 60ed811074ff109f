package schema

import (
	"context"
	"strings"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/hook"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/mention"
	"github.com/bridgesoftrust/hub/internal/sector"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// validateSectors refuses unknown sectors in the named list fields.
func validateSectors(fields ...string) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			for _, name := range fields {
				v, _ := m.Field(name)
				list, _ := v.([]sector.Sector)
				for _, s := range list {
					if !s.Valid() {
						return nil, validation.Errorf(name, "%q is not a sector", s)
					}
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// validateTranslations checks the language codes and texts of the named
// multilingual fields.
func validateTranslations(fields ...string) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			for _, name := range fields {
				v, _ := m.Field(name)
				if texts, ok := v.(i18n.Texts); ok {
					if err := texts.Validate(); err != nil {
						return nil, &validation.FieldError{Field: name, Err: err}
					}
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// validateDateRange refuses an end date before the start date. On an update
// that changes only one of them, the other is read from the stored row.
func validateDateRange(start, end string) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			from, hasFrom := dateValue(ctx, m, start)
			to, hasTo := dateValue(ctx, m, end)
			if hasFrom && hasTo && to.Before(from) {
				return nil, validation.Errorf(end, "%s %s is before %s %s",
					end, to.Format(time.DateOnly), start, from.Format(time.DateOnly))
			}
			return next.Mutate(ctx, m)
		})
	}
}

// dateValue returns the value a date field will have after the mutation.
func dateValue(ctx context.Context, m ent.Mutation, name string) (time.Time, bool) {
	if v, ok := m.Field(name); ok {
		t, ok := v.(time.Time)
		return t, ok
	}
	if m.FieldCleared(name) || !m.Op().Is(ent.OpUpdateOne) {
		return time.Time{}, false
	}
	old, err := m.OldField(ctx, name)
	if err != nil {
		return time.Time{}, false
	}
	switch t := old.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t != nil {
			return *t, true
		}
	}
	return time.Time{}, false
}

// validatePartnershipPair checks that a partnership joins a Ukrainian and an
// EU municipality and that the pair does not exist yet, so the client gets a
// clear message rather than a constraint violation. Bulk writers that have
// checked a whole batch themselves (the importer) mark their context with
// validation.WithBatchChecked and skip these per-row queries; the unique
// index still guards the pair.
func validatePartnershipPair() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PartnershipFunc(func(ctx context.Context, m *gen.PartnershipMutation) (ent.Value, error) {
			if validation.BatchChecked(ctx) {
				return next.Mutate(ctx, m)
			}
			ua, eu, err := partnershipPair(ctx, m)
			if err != nil {
				return nil, err
			}
			if err := checkPairCountries(ctx, m.Client(), ua, eu); err != nil {
				return nil, err
			}
			if err := checkPairIsNew(ctx, m, ua, eu); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// checkPairIsNew refuses a pair that another partnership already joins.
func checkPairIsNew(ctx context.Context, m *gen.PartnershipMutation, ua, eu int) error {
	dup := m.Client().Partnership.Query().
		Where(partnership.UkrainianMunicipalityID(ua), partnership.EuropeanMunicipalityID(eu))
	if id, ok := m.ID(); ok {
		dup = dup.Where(partnership.IDNEQ(id))
	}
	exists, err := dup.Exist(ctx)
	if err != nil {
		return err
	}
	if exists {
		return validation.Errorf("european_municipality_id", "a partnership between these two municipalities already exists")
	}
	return nil
}

// partnershipPair returns the municipality ids the partnership will have.
func partnershipPair(ctx context.Context, m *gen.PartnershipMutation) (ua, eu int, err error) {
	ua, hasUA := m.UkrainianMunicipalityID()
	eu, hasEU := m.EuropeanMunicipalityID()
	if m.Op().Is(ent.OpUpdateOne) {
		if !hasUA {
			if ua, err = m.OldUkrainianMunicipalityID(ctx); err != nil {
				return 0, 0, err
			}
		}
		if !hasEU {
			if eu, err = m.OldEuropeanMunicipalityID(ctx); err != nil {
				return 0, 0, err
			}
		}
	}
	return ua, eu, nil
}

// pairCountry is a municipality's id with its country.
type pairCountry struct {
	ID       int    `json:"id"`
	Code     string `json:"code"`
	EUMember bool   `json:"eu_member"`
}

// checkPairCountries checks, in one query, that ua is a Ukrainian and eu an
// EU municipality.
func checkPairCountries(ctx context.Context, client *gen.Client, ua, eu int) error {
	rows, err := municipalityCountries(ctx, client, ua, eu)
	if err != nil {
		return err
	}
	byID := map[int]pairCountry{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	if err := checkSide(byID, ua, "ukrainian_municipality_id", "must be a Ukrainian municipality", func(c pairCountry) bool { return c.Code == "UA" }); err != nil {
		return err
	}
	return checkSide(byID, eu, "european_municipality_id", "must be a municipality of an EU member state", func(c pairCountry) bool { return c.EUMember })
}

// municipalityCountries returns the countries of the municipalities ids
// that exist, in one query.
func municipalityCountries(ctx context.Context, client *gen.Client, ids ...int) ([]pairCountry, error) {
	var rows []pairCountry
	err := client.Municipality.Query().Where(municipality.IDIn(ids...)).
		Modify(func(s *sql.Selector) {
			c := sql.Table(country.Table)
			s.Join(c).On(s.C(municipality.FieldCountryID), c.C(country.FieldID))
			s.Select(s.C(municipality.FieldID), c.C(country.FieldCode), c.C(country.FieldEuMember))
		}).Scan(ctx, &rows)
	return rows, err
}

func checkSide(byID map[int]pairCountry, id int, field, rule string, ok func(pairCountry) bool) error {
	c, found := byID[id]
	switch {
	case !found:
		return validation.Errorf(field, "municipality %d does not exist", id)
	case !ok(c):
		return validation.Errorf(field, "%s, not one in %s", rule, c.Code)
	}
	return nil
}

// normalizeUser stores e-mail addresses and handles trimmed and in lower
// case, so that the unique indexes make them unique case-insensitively.
func normalizeUser() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.UserFunc(func(ctx context.Context, m *gen.UserMutation) (ent.Value, error) {
			if email, ok := m.Email(); ok {
				m.SetEmail(strings.ToLower(strings.TrimSpace(email)))
			}
			if handle, ok := m.Handle(); ok {
				m.SetHandle(mention.Normalize(handle))
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

// validateMembershipTarget checks that a membership names exactly one
// municipality or association.
func validateMembershipTarget() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MembershipFunc(func(ctx context.Context, m *gen.MembershipMutation) (ent.Value, error) {
			_, hasMunicipality := m.MunicipalityID()
			_, hasAssociation := m.AssociationID()
			if hasMunicipality == hasAssociation {
				return nil, validation.Errorf("municipality_id", "a membership names exactly one municipality or one association")
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate)
}

// validateMunicipalityPlace keeps a municipality's region in its country,
// and refuses to move a municipality that is in a partnership to another
// country (its partnerships' UA/EU rule would silently break).
func validateMunicipalityPlace() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MunicipalityFunc(func(ctx context.Context, m *gen.MunicipalityMutation) (ent.Value, error) {
			if err := checkCountryMove(ctx, m); err != nil {
				return nil, err
			}
			countryID, regionID, err := municipalityPlace(ctx, m)
			if err != nil {
				return nil, err
			}
			if err := checkRegionCountry(ctx, m.Client(), countryID, regionID); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// municipalityPlace returns the country and region the municipality will
// have after the mutation.
func municipalityPlace(ctx context.Context, m *gen.MunicipalityMutation) (countryID int, regionID *int, err error) {
	countryID, hasCountry := m.CountryID()
	if id, ok := m.RegionID(); ok {
		regionID = &id
	}
	if !m.Op().Is(ent.OpUpdateOne) {
		return countryID, regionID, nil
	}
	if !hasCountry {
		if countryID, err = m.OldCountryID(ctx); err != nil {
			return 0, nil, err
		}
	}
	if regionID == nil && !m.RegionCleared() {
		if regionID, err = m.OldRegionID(ctx); err != nil {
			return 0, nil, err
		}
	}
	return countryID, regionID, nil
}

// checkRegionCountry refuses a region of another country.
func checkRegionCountry(ctx context.Context, client *gen.Client, countryID int, regionID *int) error {
	if regionID == nil {
		return nil
	}
	r, err := client.Region.Get(ctx, *regionID)
	if gen.IsNotFound(err) {
		return validation.Errorf("region_id", "region %d does not exist", *regionID)
	}
	if err != nil {
		return err
	}
	if r.CountryID != countryID {
		return validation.Errorf("region_id", "region %q is in another country than the municipality", r.Name)
	}
	return nil
}

// checkCountryMove refuses to change the country of a municipality that is
// in a partnership.
func checkCountryMove(ctx context.Context, m *gen.MunicipalityMutation) error {
	newCountry, changes := m.CountryID()
	id, ok := m.ID()
	if !changes || !ok || !m.Op().Is(ent.OpUpdateOne) {
		return nil
	}
	old, err := m.OldCountryID(ctx)
	if err != nil || old == newCountry {
		return err
	}
	partnered, err := m.Client().Partnership.Query().Where(partnership.Or(
		partnership.UkrainianMunicipalityID(id), partnership.EuropeanMunicipalityID(id))).Exist(ctx)
	if err != nil {
		return err
	}
	if partnered {
		return validation.Errorf("country_id", "the municipality is in a partnership: it cannot move to another country")
	}
	return nil
}

// defaultViewer sets the user-id field to the signed-in user on creation
// when the mutation leaves it unset.
func defaultViewer(field string) ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if _, set := m.Field(field); !set && viewer.ID(ctx) != 0 {
				if err := m.SetField(field, viewer.ID(ctx)); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate)
}

// stampPublication records when a news item is first published.
func stampPublication() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.NewsItemFunc(func(ctx context.Context, m *gen.NewsItemMutation) (ent.Value, error) {
			status, ok := m.Status()
			_, stamped := m.PublishedAt()
			if !ok || status != newsitem.StatusPUBLISHED || stamped {
				return next.Mutate(ctx, m)
			}
			published := false
			if m.Op().Is(ent.OpUpdateOne) {
				old, err := m.OldPublishedAt(audit.Bookkeeping(ctx))
				if err != nil {
					return nil, err
				}
				published = old != nil
			}
			if !published {
				m.SetPublishedAt(time.Now())
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}
