package matchmaking

import (
	"cmp"
	"slices"
)

// Rank scores every candidate against target and returns the suggestions
// best first; equal scores rank by municipality id.
func Rank(target *Profile, candidates []*Profile, w Weights) []Suggestion {
	out := make([]Suggestion, len(candidates))
	for i, c := range candidates {
		out[i] = Score(target, c, w)
	}
	slices.SortFunc(out, Compare)
	return out
}

// Compare orders suggestions best first: by score, then by municipality id.
func Compare(a, b Suggestion) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return cmp.Compare(a.Candidate.ID, b.Candidate.ID)
}

// Complete reports whether the best n of the suggestions (ranked) are the
// best n of all candidates, when every candidate not scored has a bound
// of at most rest. A tie with the bound is not enough: an unscored
// candidate with an equal score and a smaller id would rank first.
func Complete(ranked []Suggestion, n int, rest float64) bool {
	if len(ranked) < n {
		return false
	}
	const eps = 1e-6 // scores keep six decimals; the SQL's arithmetic may differ in the last bits
	return ranked[n-1].Score > rest+eps
}
