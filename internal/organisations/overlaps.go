package organisations

import (
	"cmp"
	"context"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/initiative"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// Overlap is two initiatives in the same municipality and sector whose
// periods meet (an initiative without dates meets every period).
type Overlap struct {
	Municipality *ent.Municipality
	Sector       sector.Sector
	First        *ent.Initiative
	Second       *ent.Initiative
}

// Filter narrows the overlaps; zero values do not narrow.
type Filter struct {
	Sector         sector.Sector
	MunicipalityID int
	// Limit bounds the answer (the first overlaps in order).
	Limit int
}

// Overlaps returns the overlapping initiatives, by municipality, sector
// and initiative. It reads every matching initiative with its
// municipalities and organisation in three queries and pairs them in memory.
func Overlaps(ctx context.Context, client *ent.Client, f Filter) ([]*Overlap, error) {
	q := client.Initiative.Query().Order(ent.Asc(initiative.FieldID)).WithMunicipalities().WithOrganisation()
	if f.MunicipalityID != 0 {
		q.Where(initiative.HasMunicipalitiesWith(municipality.ID(f.MunicipalityID)))
	}
	list, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	type place struct {
		m *ent.Municipality
		s sector.Sector
	}
	groups := map[int]map[sector.Sector][]*ent.Initiative{}
	var places []place
	for _, in := range list {
		for _, m := range in.Edges.Municipalities {
			if f.MunicipalityID != 0 && m.ID != f.MunicipalityID {
				continue
			}
			for _, s := range in.Sectors {
				if f.Sector != "" && s != f.Sector {
					continue
				}
				if groups[m.ID] == nil {
					groups[m.ID] = map[sector.Sector][]*ent.Initiative{}
				}
				if len(groups[m.ID][s]) == 0 {
					places = append(places, place{m, s})
				}
				groups[m.ID][s] = append(groups[m.ID][s], in)
			}
		}
	}
	slices.SortFunc(places, func(a, b place) int {
		return cmp.Or(cmp.Compare(a.m.ID, b.m.ID), cmp.Compare(a.s, b.s))
	})
	var out []*Overlap
	for _, p := range places {
		out = append(out, pairs(p.m, p.s, groups[p.m.ID][p.s])...)
		if f.Limit > 0 && len(out) >= f.Limit {
			return out[:f.Limit], nil
		}
	}
	return out, nil
}

// pairs returns the overlapping pairs among initiatives (in id order).
func pairs(m *ent.Municipality, s sector.Sector, list []*ent.Initiative) []*Overlap {
	var out []*Overlap
	for i, a := range list {
		for _, b := range list[i+1:] {
			if meet(a, b) {
				out = append(out, &Overlap{Municipality: m, Sector: s, First: a, Second: b})
			}
		}
	}
	return out
}

// meet reports whether the periods of two initiatives meet; a missing
// start or end is open.
func meet(a, b *ent.Initiative) bool {
	return before(a.StartsOn, b.EndsOn) && before(b.StartsOn, a.EndsOn)
}

// before reports whether start is on or before end, either being open.
func before(start, end *time.Time) bool {
	return start == nil || end == nil || !start.After(*end)
}

// InSector matches the initiatives one of whose sectors is s (a JSON
// list: json_each on SQLite, @> on PostgreSQL, through sqljson).
func InSector(s sector.Sector) predicate.Initiative {
	return predicate.Initiative(func(sel *sql.Selector) {
		sel.Where(sqljson.ValueContains(sel.C(initiative.FieldSectors), string(s)))
	})
}
