package matchsql

import (
	"context"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// TestSuggestMatchesScoringEveryCandidate checks that the SQL prefilter
// is exact: for municipalities of both sides and several weightings, the
// best 20 equal those of scoring every candidate in Go.
func TestSuggestMatchesScoringEveryCandidate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		opts := seed.SyntheticOptions{Municipalities: 600, Partnerships: 900, Projects: 1, Activities: 1, Seed: 7,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if err := seed.Synthetic(ctx, store.Client, opts); err != nil {
			t.Fatal(err)
		}
		targets := sample(t, ctx, store.Client, "UA", 6)
		targets = append(targets, sample(t, ctx, store.Client, "", 6)...)
		weightings := []matchmaking.Weights{
			matchmaking.DefaultWeights,
			matchmaking.With(matchmaking.Weights{matchmaking.PartnerLoad: 2, matchmaking.RegionTies: 1}),
			matchmaking.With(matchmaking.Weights{matchmaking.NeedsMet: 0.05, matchmaking.Size: 1}),
		}
		now := time.Now()
		cache := NewCache(store.Client, slog.New(slog.DiscardHandler))
		if err := cache.Loaded(ctx); err != nil {
			t.Fatal(err)
		}
		paths := map[string]func(Query) ([]matchmaking.Suggestion, Stats, error){
			"SQL":   func(q Query) ([]matchmaking.Suggestion, Stats, error) { return Suggest(ctx, store.Client, q) },
			"index": func(q Query) ([]matchmaking.Suggestion, Stats, error) { return cache.Suggest(ctx, q) },
		}
		for _, w := range weightings {
			for _, id := range targets {
				want := bruteForce(t, ctx, store.Client, id, w, now)
				if len(want) > 20 {
					want = want[:20]
				}
				for name, suggest := range paths {
					got, stats, err := suggest(Query{MunicipalityID: id, N: 20, Weights: w, Now: now})
					if err != nil {
						t.Fatal(err)
					}
					if stats.Indexed != (name == "index") {
						t.Fatalf("%s path: stats %+v", name, stats)
					}
					if !sameRanking(got, want) {
						t.Fatalf("%s path, municipality %d, weights %v: %v, every candidate %v (stats %+v)", name, id, w, ids(got), ids(want), stats)
					}
				}
			}
		}
	})
}

// sample returns n municipalities of a country (code) or of the EU (code "").
func sample(t testing.TB, ctx context.Context, client *ent.Client, code string, n int) []int {
	t.Helper()
	pred := municipality.HasCountryWith(country.EuMember(true))
	if code != "" {
		pred = municipality.HasCountryWith(country.Code(code))
	}
	all, err := client.Municipality.Query().Where(pred).Order(municipality.ByID()).IDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for i := 0; i < len(all) && len(out) < n; i += max(1, len(all)/n) {
		out = append(out, all[i])
	}
	return out
}

// bruteForce scores every candidate of municipality id.
func bruteForce(t testing.TB, ctx context.Context, client *ent.Client, id int, w matchmaking.Weights, now time.Time) []matchmaking.Suggestion {
	t.Helper()
	tg, err := loadTarget(ctx, client, id, now)
	if err != nil {
		t.Fatal(err)
	}
	s := &search{client: client, t: tg, q: Query{MunicipalityID: id, Now: now}, w: w, scored: map[int]bool{}}
	ms, err := client.Municipality.Query().
		Where(municipality.CountryIDIn(tg.sideCountries...), municipality.IDNotIn(tg.excluded...), profileOpen()).
		WithMatchProfile().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	for _, m := range ms {
		r := row{ID: m.ID, Name: m.Name, Population: m.Population, CountryID: m.CountryID, RegionID: m.RegionID}
		if mp := m.Edges.MatchProfile; mp != nil {
			r.ProfileID, r.Wanted, r.LanguageMask = &mp.ID, mp.WantedPartners, &mp.LanguageMask
		}
		rows = append(rows, r)
	}
	if err := s.score(ctx, rows); err != nil {
		t.Fatal(err)
	}
	return s.ranked
}

func sameRanking(a, b []matchmaking.Suggestion) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Candidate.ID != b[i].Candidate.ID || math.Abs(a[i].Score-b[i].Score) > 1e-9 {
			return false
		}
	}
	return true
}

func ids(ss []matchmaking.Suggestion) []int {
	out := make([]int, len(ss))
	for i, s := range ss {
		out[i] = s.Candidate.ID
	}
	return out
}

// TestCacheFollowsChanges checks that a change of the data makes the index
// stale at once (the SQL path answers, with the change) until it is
// reloaded in the background.
func TestCacheFollowsChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		if err := seed.Demo(ctx, store.Client); err != nil {
			t.Fatal(err)
		}
		cache := NewCache(store.Client, slog.New(slog.DiscardHandler))
		if err := cache.Loaded(ctx); err != nil {
			t.Fatal(err)
		}
		chuhuiv := store.Client.Municipality.Query().Where(municipality.Name("Chuhuiv")).OnlyIDX(ctx)
		soria := store.Client.Municipality.Query().Where(municipality.Name("Soria")).OnlyIDX(ctx)
		store.Client.Need.Create().SetMunicipalityID(chuhuiv).SetSector("WATER").SetUrgency(matchmaking.UrgencyHigh).ExecX(ctx)
		store.Client.Offer.Create().SetMunicipalityID(soria).SetSector("WATER").SetCapacity(3).ExecX(ctx)
		got, stats, err := cache.Suggest(ctx, Query{MunicipalityID: chuhuiv, N: 1})
		if err != nil || stats.Indexed || len(got) != 1 || got[0].Candidate.ID != soria {
			t.Fatalf("right after the change: %v, stats %+v, %v; want Soria from the SQL path", ids(got), stats, err)
		}
		if err := cache.Loaded(ctx); err != nil {
			t.Fatal(err)
		}
		got, stats, err = cache.Suggest(ctx, Query{MunicipalityID: chuhuiv, N: 1})
		if err != nil || !stats.Indexed || len(got) != 1 || got[0].Candidate.ID != soria {
			t.Fatalf("after the reload: %v, stats %+v, %v; want Soria from the index", ids(got), stats, err)
		}
	})
}
