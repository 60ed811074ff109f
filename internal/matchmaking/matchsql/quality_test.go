package matchsql

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// TestQualityReport computes the quality report of the README's
// "Matchmaking" section on the demo data set (run with -v to read it):
// for each real partnership, with the partnership hidden, the Ukrainian
// municipality's needs derived from its themes and every EU
// municipality's offers from the themes of its other partnerships, the
// rank of the real partner among all EU candidates; recall@5, recall@10
// and MRR for the engine with three sets of weights, against a random
// order and an order by population alone.
func TestQualityReport(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	ctx := authz.SystemContext(context.Background())
	if err := seed.Demo(ctx, store.Client); err != nil {
		t.Fatal(err)
	}
	partnerships, err := store.Client.Partnership.Query().WithEuropeanMunicipality().WithUkrainianMunicipality().
		Order(ent.Asc("id")).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	variants := []struct {
		name string
		w    matchmaking.Weights
	}{
		{"engine, default weights", matchmaking.DefaultWeights},
		{"engine without the two penalties", matchmaking.With(matchmaking.Weights{matchmaking.PartnerLoad: 0, matchmaking.RegionTies: 0})},
		{"NEEDS_MET alone", matchmaking.Weights{matchmaking.NeedsMet: 1}},
	}
	ranks := make([][]float64, len(variants))
	var byPopulation []float64
	var candidates []int
	for _, p := range partnerships {
		for i, v := range variants {
			ranked := hiddenPartnerRanking(t, ctx, store.Client, p, partnerships, v.w)
			rank := slices.IndexFunc(ranked, func(s matchmaking.Suggestion) bool { return s.Candidate.ID == p.EuropeanMunicipalityID }) + 1
			if rank == 0 {
				t.Fatalf("%s: the real partner %s is not among the candidates", p.Edges.UkrainianMunicipality.Name, p.Edges.EuropeanMunicipality.Name)
			}
			ranks[i] = append(ranks[i], float64(rank))
			if i == 0 {
				candidates = append(candidates, len(ranked))
				byPopulation = append(byPopulation, populationRank(ranked, p))
				t.Logf("%-15s -> %-22s themes %-70q needs %v: rank %d of %d", p.Edges.UkrainianMunicipality.Name,
					p.Edges.EuropeanMunicipality.Name, strings.Join(p.Themes, "; "), matchmaking.ThemeSectors(p.Themes), rank, len(ranked))
			}
		}
	}
	report := []string{"| order | recall@5 | recall@10 | MRR |", "| --- | --- | --- | --- |"}
	row := func(name string, r matchmaking.Retrieval) {
		report = append(report, fmt.Sprintf("| %s | %.2f | %.2f | %.3f |", name, r.Recall5, r.Recall10, r.MRR))
	}
	for i, v := range variants {
		row(v.name, matchmaking.Measure(ranks[i]))
	}
	random := matchmaking.RandomRetrieval(candidates)
	row("random order (expected)", random)
	row("population alone (ties by id)", matchmaking.Measure(byPopulation))
	t.Logf("%d partnerships, %v candidates each\n%s", len(partnerships), slices.Compact(slices.Clone(candidates)), strings.Join(report, "\n"))
	if n := candidates[0]; math.Abs(random.Recall5-5/float64(n)) > 1e-9 {
		t.Errorf("random recall@5 %v, want 5/%d", random.Recall5, n)
	}
}

// hiddenPartnerRanking ranks the EU candidates of p's Ukrainian
// municipality with p hidden and the profiles derived from themes, in a
// transaction that is rolled back.
func hiddenPartnerRanking(t *testing.T, ctx context.Context, client *ent.Client, p *ent.Partnership, all []*ent.Partnership, w matchmaking.Weights) []matchmaking.Suggestion {
	t.Helper()
	tx, err := client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	c := tx.Client()
	if err := deriveProfiles(ctx, c, p, all); err != nil {
		t.Fatal(err)
	}
	ranked, _, err := Suggest(ctx, c, Query{MunicipalityID: p.UkrainianMunicipalityID, N: 1000, Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	return ranked
}

// deriveProfiles hides p, gives its Ukrainian municipality the needs its
// themes name (urgency MEDIUM) and every EU municipality the offers that
// the themes of its other partnerships name (capacity 1).
func deriveProfiles(ctx context.Context, c *ent.Client, p *ent.Partnership, all []*ent.Partnership) error {
	if _, err := c.Need.Delete().Exec(ctx); err != nil {
		return err
	}
	if _, err := c.Offer.Delete().Exec(ctx); err != nil {
		return err
	}
	// Its projects go with it (the demo's project concepts refer to it).
	if _, err := c.Project.Delete().Where(project.PartnershipID(p.ID)).Exec(ctx); err != nil {
		return err
	}
	if err := c.Partnership.DeleteOneID(p.ID).Exec(ctx); err != nil {
		return err
	}
	for _, s := range matchmaking.ThemeSectors(p.Themes) {
		if err := c.Need.Create().SetMunicipalityID(p.UkrainianMunicipalityID).SetSector(s).Exec(ctx); err != nil {
			return err
		}
	}
	themes := map[int][]string{}
	for _, q := range all {
		if q.ID != p.ID {
			themes[q.EuropeanMunicipalityID] = append(themes[q.EuropeanMunicipalityID], q.Themes...)
		}
	}
	for eu, ts := range themes {
		for _, s := range matchmaking.ThemeSectors(ts) {
			if err := c.Offer.Create().SetMunicipalityID(eu).SetSector(s).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// populationRank is the rank of p's partner when the candidates are
// ordered by closeness of population alone, unknown populations last,
// ties by id.
func populationRank(ranked []matchmaking.Suggestion, p *ent.Partnership) float64 {
	pop := valueOr(p.Edges.UkrainianMunicipality.Population)
	order := slices.Clone(ranked)
	slices.SortFunc(order, func(a, b matchmaking.Suggestion) int {
		sa, sb := matchmaking.SizeValue(pop, a.Candidate.Population), matchmaking.SizeValue(pop, b.Candidate.Population)
		if c := cmp.Compare(sb, sa); c != 0 {
			return c
		}
		return cmp.Compare(a.Candidate.ID, b.Candidate.ID)
	})
	return float64(slices.IndexFunc(order, func(s matchmaking.Suggestion) bool { return s.Candidate.ID == p.EuropeanMunicipalityID }) + 1)
}
