package schema

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/hook"
	"github.com/bridgesoftrust/hub/ent/need"
	"github.com/bridgesoftrust/hub/ent/offer"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/sector"
	"github.com/bridgesoftrust/hub/internal/validation"
)

// timeNow is the default of time fields set when a row is written.
func timeNow() time.Time { return time.Now() }

// requireSide checks that the municipality a need or an offer names is on
// side: needs are Ukrainian, offers European.
func requireSide(field string, side matchmaking.Side) ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if validation.BatchChecked(ctx) { // a bulk writer checked its rows
				return next.Mutate(ctx, m)
			}
			v, _ := m.Field(field)
			id, _ := v.(int)
			c, err := municipalityCountry(ctx, m, id)
			if err != nil {
				return nil, err
			}
			const input = "municipalityId" // the field of createNeed's and createOffer's inputs
			switch {
			case c == nil:
				return nil, validation.Errorf(input, "municipality %d does not exist", id)
			case side == matchmaking.Ukrainian && c.Code != "UA":
				return nil, validation.Errorf(input, "needs are for Ukrainian municipalities, not one in %s", c.Code)
			case side == matchmaking.European && !c.EUMember:
				return nil, validation.Errorf(input, "offers are for municipalities of EU member states, not one in %s", c.Code)
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate)
}

// municipalityCountry returns the country of municipality id, nil if there
// is no such municipality.
func municipalityCountry(ctx context.Context, m ent.Mutation, id int) (*pairCountry, error) {
	client := m.(interface{ Client() *gen.Client }).Client()
	rows, err := municipalityCountries(audit.Bookkeeping(ctx), client, id)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// syncLegacySectors keeps a municipality's needs and offers sector lists,
// which old clients read, in step with its need and offer records: after
// each change they list the sectors of its records, in their old order
// with new sectors at the end. Bulk writers (the seed) set both themselves.
func syncLegacySectors() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if validation.BatchChecked(ctx) {
				return next.Mutate(ctx, m)
			}
			id, err := authz.RecordMunicipality(ctx, m)
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil || id == 0 {
				return v, err
			}
			return v, resyncSectors(audit.Bookkeeping(ctx), m, id)
		})
	}
}

// resyncSectors rewrites the legacy sector list of municipality id that
// records of m's type feed.
func resyncSectors(ctx context.Context, m ent.Mutation, id int) error {
	client := m.(interface{ Client() *gen.Client }).Client()
	mun, err := client.Municipality.Get(ctx, id)
	if err != nil {
		return err
	}
	if _, isNeed := m.(*gen.NeedMutation); isNeed {
		sectors, err := client.Need.Query().Where(need.MunicipalityID(id)).Order(need.ByID()).Select(need.FieldSector).Strings(ctx)
		if err != nil {
			return err
		}
		return client.Municipality.UpdateOneID(id).SetNeeds(mergeSectors(mun.Needs, sectors)).Exec(ctx)
	}
	sectors, err := client.Offer.Query().Where(offer.MunicipalityID(id)).Order(offer.ByID()).Select(offer.FieldSector).Strings(ctx)
	if err != nil {
		return err
	}
	return client.Municipality.UpdateOneID(id).SetOffers(mergeSectors(mun.Offers, sectors)).Exec(ctx)
}

// mergeSectors returns the sectors of current, in old's order where old
// has them and in current's order after.
func mergeSectors(old []sector.Sector, current []string) []sector.Sector {
	out := []sector.Sector{}
	for _, s := range old {
		if slices.Contains(current, string(s)) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, s := range current {
		if !slices.Contains(out, sector.Sector(s)) {
			out = append(out, sector.Sector(s))
		}
	}
	return out
}

// setLanguageMask checks a profile's staff languages, stores them in lower
// case and in a fixed order, and keeps their bit set for the SQL prefilter.
func setLanguageMask() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MatchProfileFunc(func(ctx context.Context, m *gen.MatchProfileMutation) (ent.Value, error) {
			codes, set := m.Languages()
			if m.LanguagesCleared() {
				m.SetLanguageMask(0)
			}
			if !set {
				return next.Mutate(ctx, m)
			}
			mask, err := matchmaking.LanguageMask(codes)
			if err != nil {
				return nil, validation.Errorf("languages", "%v", err)
			}
			m.SetLanguages(matchmaking.NormalizeLanguages(codes))
			m.SetLanguageMask(mask)
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// stampStep records when a request reaches a new status, checks that the
// step follows the request's current one (for everyone, the secretariat
// too) and keeps the open pair's key while the request is open.
func stampStep() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PartnershipRequestFunc(func(ctx context.Context, m *gen.PartnershipRequestMutation) (ent.Value, error) {
			if m.Op().Is(ent.OpCreate) {
				ua, _ := m.UkrainianMunicipalityID()
				eu, _ := m.EuropeanMunicipalityID()
				m.SetOpenPair(fmt.Sprintf("%d-%d", ua, eu))
				return next.Mutate(ctx, m)
			}
			to, moves := m.Status()
			if !moves {
				return next.Mutate(ctx, m)
			}
			from, err := m.OldStatus(audit.Bookkeeping(ctx))
			if err != nil {
				return nil, err
			}
			step, known := matchmaking.StepTo(to)
			if !known {
				return nil, validation.Errorf("status", "a request cannot be set back to %s", to)
			}
			if err := step.CheckOrder(from); err != nil {
				return nil, validation.Errorf("id", "%v", err)
			}
			m.SetStepAt(time.Now())
			if !to.IsOpen() {
				m.ClearOpenPair()
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// bumped holds the transactions of requests that raised the matchmaking
// version already: one raise per transaction is enough.
var bumped sync.Map // *gen.Tx -> struct{}

// bumpMatchVersion raises the version of the matchmaking data after a
// change of a municipality, need, offer, matchmaking profile or
// partnership, in the change's transaction: once per request's transaction (the API's), once
// per change elsewhere, never in a bulk load that raises it itself.
func bumpMatchVersion() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err != nil || matchmaking.VersionBumpSkipped(ctx) {
				return v, err
			}
			return v, bumpOnce(ctx, m.(interface{ Client() *gen.Client }).Client())
		})
	}
}

// bumpOnce raises the version unless the transaction of ctx did already.
func bumpOnce(ctx context.Context, client *gen.Client) error {
	if tx := gen.TxFromContext(ctx); tx != nil {
		if _, done := bumped.LoadOrStore(tx, struct{}{}); done {
			return nil
		}
		forget := func() { bumped.Delete(tx) }
		tx.OnCommit(func(next gen.Committer) gen.Committer {
			return gen.CommitFunc(func(ctx context.Context, tx *gen.Tx) error { defer forget(); return next.Commit(ctx, tx) })
		})
		tx.OnRollback(func(next gen.Rollbacker) gen.Rollbacker {
			return gen.RollbackFunc(func(ctx context.Context, tx *gen.Tx) error { defer forget(); return next.Rollback(ctx, tx) })
		})
	}
	return client.MatchState.Update().AddVersion(1).Exec(audit.Bookkeeping(ctx))
}
