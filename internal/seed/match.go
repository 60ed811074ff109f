package seed

import (
	"context"
	"math/rand/v2"
	"strings"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/matchprofile"
	"github.com/bridgesoftrust/hub/ent/need"
	"github.com/bridgesoftrust/hub/ent/offer"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/validation"
)

// matchStream is the PCG stream of the matchmaking details, apart from
// the plan's so that the rest of a synthetic data set does not change.
const matchStream = 0x4d61746368 // "Match"

// maxSectors is the most sectors a synthetic municipality lists.
const maxSectors = 3

// createMatchRecords gives every synthetic municipality a need record
// (Ukrainian) or an offer record (EU) for each sector its lists name, with
// an urgency or a capacity, and a matchmaking profile to a quarter of them
// (the staff's national language and often English, sometimes a number of
// partners wanted, one in ten closed). The sector lists are already set,
// so the records bypass the hooks that keep them in step.
func (p *plan) createMatchRecords(ctx context.Context, res *importer.Resolver, seed uint64) error {
	ctx = validation.WithBatchChecked(ctx)
	rng := rand.New(rand.NewPCG(seed, matchStream))
	client := res.Client()
	err := importer.InBatches(ctx, p.logger, "needs and offers", p.municipalities, len(need.Columns)*maxSectors,
		func(ctx context.Context, chunk []importer.MunicipalitySpec) error {
			var needs []*ent.NeedCreate
			var offers []*ent.OfferCreate
			done, err := withRecords(ctx, client, chunk, res)
			if err != nil {
				return err
			}
			for _, m := range chunk {
				id := res.Municipality(m.Key()).ID
				if done[id] {
					continue // loaded by an earlier run with the same seed
				}
				for _, s := range m.Needs {
					needs = append(needs, client.Need.Create().SetMunicipalityID(id).SetSector(s).
						SetUrgency(matchmaking.Urgencies[rng.IntN(len(matchmaking.Urgencies))]))
				}
				for _, s := range m.Offers {
					offers = append(offers, client.Offer.Create().SetMunicipalityID(id).SetSector(s).SetCapacity(1+rng.IntN(4)))
				}
			}
			if err := client.Need.CreateBulk(needs...).Exec(ctx); err != nil {
				return err
			}
			return client.Offer.CreateBulk(offers...).Exec(ctx)
		})
	if err != nil {
		return err
	}
	return p.createMatchProfiles(ctx, res, rng)
}

// withRecords returns which municipalities of chunk have need or offer
// records already.
func withRecords(ctx context.Context, client *ent.Client, chunk []importer.MunicipalitySpec, res *importer.Resolver) (map[int]bool, error) {
	ids := make([]int, len(chunk))
	for i, m := range chunk {
		ids[i] = res.Municipality(m.Key()).ID
	}
	withNeeds, err := client.Need.Query().Where(need.MunicipalityIDIn(ids...)).Select(need.FieldMunicipalityID).Ints(ctx)
	if err != nil {
		return nil, err
	}
	withOffers, err := client.Offer.Query().Where(offer.MunicipalityIDIn(ids...)).Select(offer.FieldMunicipalityID).Ints(ctx)
	done := map[int]bool{}
	for _, id := range append(withNeeds, withOffers...) {
		done[id] = true
	}
	return done, err
}

// createMatchProfiles gives a quarter of the municipalities a profile.
func (p *plan) createMatchProfiles(ctx context.Context, res *importer.Resolver, rng *rand.Rand) error {
	var chosen []importer.MunicipalitySpec
	for _, m := range p.municipalities {
		if rng.IntN(4) == 0 {
			chosen = append(chosen, m)
		}
	}
	client := res.Client()
	return importer.InBatches(ctx, p.logger, "matchmaking profiles", chosen, len(matchprofile.Columns),
		func(ctx context.Context, chunk []importer.MunicipalitySpec) error {
			builders := make([]*ent.MatchProfileCreate, len(chunk))
			for i, m := range chunk {
				languages := []string{nationalLanguage(m.Country)}
				if rng.IntN(2) == 0 {
					languages = append(languages, "en")
				}
				b := client.MatchProfile.Create().SetMunicipalityID(res.Municipality(m.Key()).ID).
					SetOpen(rng.IntN(10) != 0).SetLanguages(languages)
				if rng.IntN(2) == 0 {
					b.SetWantedPartners(1 + rng.IntN(3))
				}
				builders[i] = b
			}
			return client.MatchProfile.CreateBulk(builders...).
				OnConflictColumns(matchprofile.FieldMunicipalityID).DoNothing().Exec(ctx)
		})
}

// nationalLanguage returns the main language of a country, by its code.
func nationalLanguage(code string) string {
	switch code {
	case "AT", "DE", "LU":
		return "de"
	case "BE", "NL":
		return "nl"
	case "CY", "GR":
		return "el"
	case "CZ":
		return "cs"
	case "DK":
		return "da"
	case "EE":
		return "et"
	case "IE", "MT":
		return "en"
	case "SE":
		return "sv"
	case "SI":
		return "sl"
	case "UA":
		return "uk"
	}
	return strings.ToLower(code) // BG, ES, FI, FR, HR, HU, IT, LT, LV, PL, PT, RO, SK: the same letters
}
