package matchmaking

import (
	"slices"
	"strings"

	"github.com/bridgesoftrust/hub/internal/sector"
)

// The quality report (README, "Matchmaking") measures the engine on the
// real partnerships of the demo data set. A partnership's recorded themes
// are free text; ThemeSectors turns them into sectors by the keywords
// below, the documented method by which the report derives needs and
// offers. It is a yardstick, not a classifier for production data.

// themeKeywords maps a keyword of a theme (lower case) to its sector; a
// theme may name several.
var themeKeywords = []struct {
	keyword string
	sector  sector.Sector
}{
	{"water", sector.Water}, {"sewage", sector.Water}, {"sanitation", sector.Water},
	{"energy", sector.Energy},
	{"waste", sector.Waste}, {"circular", sector.Waste},
	{"health", sector.Health}, {"rehabilitation", sector.Health}, {"hospital", sector.Health},
	{"social", sector.SocialServices}, {"ageing", sector.SocialServices}, {"humanitarian", sector.SocialServices},
	{"families", sector.SocialServices},
	{"youth", sector.Youth}, {"children", sector.Youth},
	{"education", sector.Education}, {"school", sector.Education},
	{"culture", sector.Culture}, {"heritage", sector.Culture},
	{"tourism", sector.Tourism},
	{"nature", sector.Environment}, {"sustainable", sector.Environment}, {"covenant of mayors", sector.Environment},
	{"investment", sector.Economy}, {"economy", sector.Economy}, {"funding", sector.Economy},
	{"digital", sector.Digital},
	{"infrastructure", sector.Infrastructure}, {"machinery", sector.Infrastructure}, {"reconstruction", sector.Infrastructure},
	{"housing", sector.Housing},
	{"transport", sector.Transport},
	{"governance", sector.Governance},
}

// ThemeSectors returns the sectors that themes name, each once, in the
// order they first appear.
func ThemeSectors(themes []string) []sector.Sector {
	var out []sector.Sector
	for _, theme := range themes {
		t := strings.ToLower(theme)
		for _, k := range themeKeywords {
			if strings.Contains(t, k.keyword) && !slices.Contains(out, k.sector) {
				out = append(out, k.sector)
			}
		}
	}
	return out
}

// Retrieval sums up where the true partners ranked: recall at 5 and at 10
// (the share ranked within the first 5 or 10) and the mean reciprocal rank.
type Retrieval struct {
	Recall5, Recall10, MRR float64
	// N is how many partnerships were measured.
	N int
}

// Measure returns the retrieval of the ranks (1 for the first place).
func Measure(ranks []float64) Retrieval {
	r := Retrieval{N: len(ranks)}
	if r.N == 0 {
		return r
	}
	for _, rank := range ranks {
		r.Recall5 += within(rank, 5)
		r.Recall10 += within(rank, 10)
		r.MRR += 1 / rank
	}
	n := float64(r.N)
	r.Recall5, r.Recall10, r.MRR = r.Recall5/n, r.Recall10/n, r.MRR/n
	return r
}

// RandomRetrieval is the expected retrieval of a random order of
// candidates counts: recall@k = k/N, reciprocal rank H(N)/N.
func RandomRetrieval(candidates []int) Retrieval {
	r := Retrieval{N: len(candidates)}
	for _, c := range candidates {
		h := 0.0
		for i := 1; i <= c; i++ {
			h += 1 / float64(i)
		}
		r.Recall5 += min(5, float64(c)) / float64(c)
		r.Recall10 += min(10, float64(c)) / float64(c)
		r.MRR += h / float64(c)
	}
	n := float64(max(r.N, 1))
	r.Recall5, r.Recall10, r.MRR = r.Recall5/n, r.Recall10/n, r.MRR/n
	return r
}

// within is 1 when rank is within the first k.
func within(rank float64, k float64) float64 {
	if rank <= k {
		return 1
	}
	return 0
}
