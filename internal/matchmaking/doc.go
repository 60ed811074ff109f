// Package matchmaking is the Hub's matchmaking engine: it scores how well a
// Ukrainian and an EU municipality fit as partners and explains why, and it
// says who may move a partnership request from one step to the next.
//
// The engine is pure: it works on compact profiles (Profile) that its
// callers load from the store (internal/matchmaking/matchsql does, with
// SQL that prefilters the candidates on SQLite and PostgreSQL), so it is
// deterministic and unit-tested without a database.
//
// # Scoring
//
// A pair's score is the sum of its factors' contributions; a factor's
// contribution is its weight times its value, a number in [0, 1] for the
// factors that favour a pair and in [-1, 0] for those that hold it back:
//
//	NEEDS_MET     the Ukrainian side's needs that the EU side's offers meet: each need
//	              counts its urgency (LOW 1, MEDIUM 2, HIGH 3) times the best capacity
//	              factor of an offer in its sector ((1 + min(capacity, 3)) / 4), over the
//	              sum of the urgencies of all the Ukrainian side's needs
//	SIZE          similar size: 1 - |ln(population ratio)| / ln(10), at least 0 (ten
//	              times larger or smaller scores 0); 0 when a population is unknown
//	LANGUAGE      1 when the two staffs share a language
//	ASSOCIATION   1 when a national association (LRGA) that can facilitate is active
//	              in the EU side's country
//	OPEN          1 when the candidate says how many more partners it wants, 0.5 when
//	              it is open without a number, 0 when it has no matchmaking profile
//	PARTNER_LOAD  -min(partners, 4) / 4: a candidate with many partners ranks lower
//	REGION_TIES   -1 when the Ukrainian side's oblast and the EU side's country are
//	              already paired by another partnership (spread the partnerships)
//
// The weights' defaults are DefaultWeights, the one place they are written;
// the secretariat overrides them through the API (setMatchWeight), and
// every change is audited. Existing partners, declined pairs, pairs with
// an open request and closed profiles are never suggested. Equal scores
// rank by municipality id, so the order is the same on every run and
// database.
package matchmaking
