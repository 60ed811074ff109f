package graph

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/matchdecline"
	"github.com/bridgesoftrust/hub/ent/matchprofile"
	"github.com/bridgesoftrust/hub/ent/matchweight"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/need"
	"github.com/bridgesoftrust/hub/ent/offer"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/partnershiprequest"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/graph/model"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/matchmaking/matchsql"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// The matchmaking platform's queries and mutations that take more than one
// statement. Mutations run in the mutation's transaction; the privacy
// policies (internal/authz/matchmaking.go) decide who may take each step,
// the hooks notify, audit and publish.

// maxSuggestions is how deep matchSuggestions pages.
const maxSuggestions = 100

// signedInContact returns a contact detail for signed-in viewers, nil for
// anonymous ones and when it is empty.
func signedInContact(ctx context.Context, value string) *string {
	if viewer.FromContext(ctx) == nil || value == "" {
		return nil
	}
	return &value
}

// mayAskSuggestions checks that the viewer may see a municipality's
// suggestions (which reveal the pairs it declined): its staff, the
// editors of its associations and the secretariat.
func mayAskSuggestions(ctx context.Context, client *ent.Client, id int) error {
	v := viewer.FromContext(ctx)
	switch {
	case v == nil:
		return auth.ErrNotSignedIn
	case v.IsSecretariat() || slices.Contains(v.MunicipalityIDs(), id):
		return nil
	}
	if ids := authz.EditorAssociations(v); len(ids) > 0 {
		ok, err := client.Association.Query().Where(association.IDIn(ids...), authz.AssociationsOf(id)).
			Exist(authz.SystemContext(ctx))
		if err != nil || ok {
			return err
		}
	}
	return apierr.New(apierr.Forbidden, "only the municipality's staff, its associations' editors and the secretariat see its suggestions")
}

// matchSuggestions pages through a municipality's ranked suggestions; the
// cursor is the rank of the last suggestion a client has.
func matchSuggestions(ctx context.Context, client *ent.Client, cache *matchsql.Cache, id int, first *int, after *entgql.Cursor[int], where *model.MatchSuggestionWhereInput) (*model.MatchSuggestionConnection, error) {
	if _, err := client.Municipality.Get(ctx, id); err != nil {
		return nil, err
	}
	if err := mayAskSuggestions(ctx, client, id); err != nil {
		return nil, err
	}
	offset, n := 0, valueOr(first, 10)
	if after != nil {
		offset = after.ID
	}
	if n < 0 || offset < 0 || offset+n > maxSuggestions {
		return nil, apierr.Input("first", "suggestions go %d deep: first and after must stay within them", maxSuggestions)
	}
	q := matchsql.Query{MunicipalityID: id, N: offset + n}
	if where != nil {
		q.CountryIDs, q.Sectors = where.CountryIDIn, where.SectorIn
	}
	ranked, _, err := cache.Suggest(ctx, q)
	if errors.Is(err, matchsql.ErrNotInProgramme) {
		return nil, apierr.Input("municipalityId", "%v", err)
	}
	if err != nil {
		return nil, err
	}
	return suggestionPage(ctx, client, ranked, offset, n)
}

// suggestionPage returns the page of ranked after offset, with the
// candidates' rows loaded in one query.
func suggestionPage(ctx context.Context, client *ent.Client, ranked []matchmaking.Suggestion, offset, n int) (*model.MatchSuggestionConnection, error) {
	page := ranked[min(offset, len(ranked)):]
	ids := make([]int, len(page))
	for i, s := range page {
		ids[i] = s.Candidate.ID
	}
	q := client.Municipality.Query().Where(municipality.IDIn(ids...))
	if err := ent.CollectFieldsAt(ctx, q, ent.TypeMunicipality, "edges", "node", "municipality"); err != nil {
		return nil, err
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int]*ent.Municipality{}
	for _, m := range rows {
		byID[m.ID] = m
	}
	conn := &model.MatchSuggestionConnection{PageInfo: &entgql.PageInfo[int]{
		HasPreviousPage: offset > 0, HasNextPage: len(ranked) == offset+n && offset+n < maxSuggestions,
	}}
	for i, s := range page {
		rank := offset + i + 1
		node := &model.MatchSuggestion{Municipality: byID[s.Candidate.ID], Score: s.Score, Rank: rank}
		for j := range s.Reasons {
			node.Reasons = append(node.Reasons, &s.Reasons[j])
		}
		conn.Edges = append(conn.Edges, &model.MatchSuggestionEdge{Node: node, Cursor: entgql.Cursor[int]{ID: rank}})
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn, nil
}

// matchWeights returns the weight of every factor and whether it is the
// default.
func matchWeights(ctx context.Context, client *ent.Client) ([]*model.MatchFactorWeight, error) {
	set, err := client.MatchWeight.Query().All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*model.MatchFactorWeight, len(matchmaking.Factors))
	for i, f := range matchmaking.Factors {
		out[i] = &model.MatchFactorWeight{Factor: f, Weight: matchmaking.DefaultWeights[f], IsDefault: true}
		for _, w := range set {
			if w.Factor == f {
				out[i].Weight, out[i].IsDefault = w.Weight, false
			}
		}
	}
	return out, nil
}

// setMatchWeight sets a factor's weight (the policy lets the secretariat
// alone write).
func setMatchWeight(ctx context.Context, client *ent.Client, f matchmaking.Factor, weight float64) (*model.MatchFactorWeight, error) {
	if err := matchmaking.ValidateWeight(weight); err != nil {
		return nil, apierr.Input("weight", "%v", err)
	}
	current, err := client.MatchWeight.Query().Where(matchweight.FactorEQ(f)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		err = client.MatchWeight.Create().SetFactor(f).SetWeight(weight).Exec(ctx)
	case err == nil:
		err = client.MatchWeight.UpdateOne(current).SetWeight(weight).Exec(ctx)
	}
	if err != nil {
		return nil, err
	}
	return &model.MatchFactorWeight{Factor: f, Weight: weight}, nil
}

// staleRequests lists the open requests that have waited more than days
// at their step, longest waiting first (secretariat).
func staleRequests(ctx context.Context, client *ent.Client, days int, first *int, after *entgql.Cursor[int]) (*ent.PartnershipRequestConnection, error) {
	v := viewer.FromContext(ctx)
	switch {
	case v == nil:
		return nil, auth.ErrNotSignedIn
	case !v.IsSecretariat():
		return nil, apierr.New(apierr.Forbidden, "only the secretariat follows up waiting requests")
	case days < 0:
		return nil, apierr.Input("olderThanDays", "olderThanDays must not be negative")
	}
	cutoff := time.Now().AddDate(0, 0, -days)
	return client.PartnershipRequest.Query().
		Where(partnershiprequest.StatusIn(matchmaking.OpenStatuses...), partnershiprequest.StepAtLT(cutoff)).
		Paginate(ctx, after, first, nil, nil, ent.WithPartnershipRequestOrder([]*ent.PartnershipRequestOrder{
			{Field: ent.PartnershipRequestOrderFieldStepAt, Direction: entgql.OrderDirectionAsc},
		}))
}

// setMatchProfile creates or changes a municipality's matchmaking profile.
func setMatchProfile(ctx context.Context, client *ent.Client, in model.SetMatchProfileInput) (*ent.MatchProfile, error) {
	current, err := client.MatchProfile.Query().Where(matchprofile.MunicipalityID(in.MunicipalityID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return client.MatchProfile.Create().SetMunicipalityID(in.MunicipalityID).SetOpen(in.Open).
			SetNillableWantedPartners(in.WantedPartners).SetLanguages(in.Languages).Save(ctx)
	case err != nil:
		return nil, err
	}
	u := client.MatchProfile.UpdateOne(current).SetOpen(in.Open).SetNillableWantedPartners(in.WantedPartners).SetLanguages(in.Languages)
	if in.WantedPartners == nil {
		u.ClearWantedPartners()
	}
	return u.Save(ctx)
}

// declineSuggestion hides a candidate from a municipality's suggestions,
// or changes the reason of an earlier decline.
func declineSuggestion(ctx context.Context, client *ent.Client, in model.DeclineSuggestionInput) (*ent.MatchDecline, error) {
	if err := requireMunicipality(ctx, client, in.CandidateID, "candidateId"); err != nil {
		return nil, err
	}
	reason := valueOr(in.Reason, "")
	current, err := client.MatchDecline.Query().
		Where(matchdecline.MunicipalityID(in.MunicipalityID), matchdecline.CandidateID(in.CandidateID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return client.MatchDecline.Create().SetMunicipalityID(in.MunicipalityID).SetCandidateID(in.CandidateID).
			SetReason(reason).Save(ctx)
	case err != nil:
		return nil, err
	}
	return client.MatchDecline.UpdateOne(current).SetReason(reason).Save(ctx)
}

// restoreSuggestion takes a decline back.
func restoreSuggestion(ctx context.Context, client *ent.Client, municipalityID, candidateID int) (bool, error) {
	v := viewer.FromContext(ctx)
	if v != nil && !v.IsSecretariat() && !slices.Contains(v.EditableMunicipalities(), municipalityID) {
		return false, apierr.New(apierr.Forbidden, "only the municipality's editors can take its declines back")
	}
	n, err := client.MatchDecline.Delete().
		Where(matchdecline.MunicipalityID(municipalityID), matchdecline.CandidateID(candidateID)).Exec(ctx)
	return n > 0, err
}

// requireMunicipality answers a municipality id that names nothing as bad
// input on field.
func requireMunicipality(ctx context.Context, client *ent.Client, id int, field string) error {
	ok, err := client.Municipality.Query().Where(municipality.ID(id)).Exist(ctx)
	if err == nil && !ok {
		return apierr.Input(field, "municipality %d does not exist", id)
	}
	return err
}

// expressInterest proposes a request from one municipality to another, or
// accepts the other's open proposal when there is one (mutual interest).
func expressInterest(ctx context.Context, client *ent.Client, in model.ExpressInterestInput) (*ent.PartnershipRequest, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, auth.ErrNotSignedIn
	}
	if !v.IsSecretariat() && !slices.Contains(v.EditableMunicipalities(), in.FromMunicipalityID) {
		return nil, apierr.New(apierr.Forbidden, "only the municipality's editors can express interest for it")
	}
	ua, eu, err := requestPair(ctx, client, in.FromMunicipalityID, in.ToMunicipalityID)
	if err != nil {
		return nil, err
	}
	open, err := client.PartnershipRequest.Query().Where(partnershiprequest.UkrainianMunicipalityID(ua),
		partnershiprequest.EuropeanMunicipalityID(eu), partnershiprequest.StatusIn(matchmaking.OpenStatuses...)).
		Only(authz.SystemContext(ctx))
	switch {
	case ent.IsNotFound(err):
		return proposeRequest(ctx, client, in, ua, eu)
	case err != nil:
		return nil, err
	case open.InitiatorID == in.ToMunicipalityID && open.Status == matchmaking.Proposed:
		return client.PartnershipRequest.UpdateOneID(open.ID).SetStatus(matchmaking.Accepted).SetMutual(true).Save(ctx)
	}
	return nil, apierr.Input("toMunicipalityId", "a partnership request between these municipalities is already open")
}

// proposeRequest creates a PROPOSED request, unless the other side is
// closed or the two are partners already.
func proposeRequest(ctx context.Context, client *ent.Client, in model.ExpressInterestInput, ua, eu int) (*ent.PartnershipRequest, error) {
	sys := authz.SystemContext(ctx)
	partners, err := client.Partnership.Query().
		Where(partnership.UkrainianMunicipalityID(ua), partnership.EuropeanMunicipalityID(eu)).Exist(sys)
	if err != nil {
		return nil, err
	}
	if partners {
		return nil, apierr.Input("toMunicipalityId", "the two municipalities are partners already")
	}
	closed, err := client.MatchProfile.Query().
		Where(matchprofile.MunicipalityID(in.ToMunicipalityID), matchprofile.Open(false)).Exist(sys)
	if err != nil {
		return nil, err
	}
	if closed {
		return nil, apierr.Input("toMunicipalityId", "the municipality is not open to new partnerships")
	}
	themes := in.Themes
	if themes == nil {
		if themes, err = matchedThemes(ctx, client, ua, eu); err != nil {
			return nil, err
		}
	}
	return client.PartnershipRequest.Create().SetUkrainianMunicipalityID(ua).SetEuropeanMunicipalityID(eu).
		SetInitiatorID(in.FromMunicipalityID).SetMessage(valueOr(in.Message, "")).SetThemes(themes).Save(ctx)
}

// requestPair returns the Ukrainian and the EU municipality of a request
// between from and to, in either order.
func requestPair(ctx context.Context, client *ent.Client, from, to int) (ua, eu int, err error) {
	rows, err := client.Municipality.Query().Where(municipality.IDIn(from, to)).WithCountry().All(ctx)
	if err != nil {
		return 0, 0, err
	}
	side := map[int]string{}
	for _, m := range rows {
		switch {
		case m.Edges.Country.Code == "UA":
			side[m.ID] = "UA"
		case m.Edges.Country.EuMember:
			side[m.ID] = "EU"
		}
	}
	switch {
	case side[from] == "":
		return 0, 0, apierr.Input("fromMunicipalityId", "municipality %d is not a Ukrainian or EU municipality of the Hub", from)
	case side[to] == "" || side[to] == side[from]:
		return 0, 0, apierr.Input("toMunicipalityId", "municipality %d is not a municipality on the other side", to)
	case side[from] == "UA":
		return from, to, nil
	}
	return to, from, nil
}

// matchedThemes returns the sectors in which eu's offers meet ua's needs,
// as themes.
func matchedThemes(ctx context.Context, client *ent.Client, ua, eu int) ([]string, error) {
	needs, err := client.Need.Query().Where(need.MunicipalityID(ua)).All(authz.SystemContext(ctx))
	if err != nil {
		return nil, err
	}
	offers, err := client.Offer.Query().Where(offer.MunicipalityID(eu)).All(authz.SystemContext(ctx))
	if err != nil {
		return nil, err
	}
	var themes []string
	for _, n := range needs {
		for _, o := range offers {
			if o.Sector == n.Sector && !slices.Contains(themes, matchmaking.SectorPhrase(n.Sector)) {
				themes = append(themes, matchmaking.SectorPhrase(n.Sector))
			}
		}
	}
	return themes, nil
}

// stepRequest moves a request the viewer can see one step; a request
// the viewer cannot see answers NOT_FOUND, as a missing one does.
func stepRequest(ctx context.Context, client *ent.Client, id int, change func(*ent.PartnershipRequestUpdateOne) *ent.PartnershipRequestUpdateOne) (*ent.PartnershipRequest, error) {
	r, err := visibleRequest(ctx, client, id)
	if err != nil {
		return nil, err
	}
	return change(client.PartnershipRequest.UpdateOne(r)).Save(ctx)
}

// visibleRequest loads a request for a step: anonymous callers are asked
// to sign in whatever the id, and a request the viewer cannot see is
// NOT_FOUND, as a missing one is.
func visibleRequest(ctx context.Context, client *ent.Client, id int) (*ent.PartnershipRequest, error) {
	if viewer.FromContext(ctx) == nil {
		return nil, auth.ErrNotSignedIn
	}
	return client.PartnershipRequest.Get(ctx, id)
}

// respond accepts or declines a request.
func respond(ctx context.Context, client *ent.Client, id int, accept bool, reason *string) (*ent.PartnershipRequest, error) {
	return stepRequest(ctx, client, id, func(u *ent.PartnershipRequestUpdateOne) *ent.PartnershipRequestUpdateOne {
		if accept {
			return u.SetStatus(matchmaking.Accepted)
		}
		return u.SetStatus(matchmaking.Declined).SetReason(strings.TrimSpace(valueOr(reason, "")))
	})
}

// facilitate marks a request facilitated, by the viewer's association
// that can facilitate it if any.
func facilitate(ctx context.Context, client *ent.Client, id int) (*ent.PartnershipRequest, error) {
	r, err := visibleRequest(ctx, client, id)
	if err != nil {
		return nil, err
	}
	u := client.PartnershipRequest.UpdateOne(r).SetStatus(matchmaking.Facilitated)
	if ids := viewer.FromContext(ctx).EditableAssociations(); len(ids) > 0 {
		by, err := client.Association.Query().Where(association.IDIn(ids...), authz.FacilitatorsOf(r.EuropeanMunicipalityID)).
			Order(association.ByID()).FirstID(authz.SystemContext(ctx))
		if err != nil && !ent.IsNotFound(err) {
			return nil, err
		}
		if by != 0 {
			u.SetFacilitatorID(by)
		}
	}
	return u.Save(ctx)
}

// confirm confirms a facilitated request and creates its partnership in
// the current phase, with the request's themes and facilitator.
func confirm(ctx context.Context, client *ent.Client, id int) (*ent.PartnershipRequest, error) {
	r, err := stepRequest(ctx, client, id, func(u *ent.PartnershipRequestUpdateOne) *ent.PartnershipRequestUpdateOne {
		return u.SetStatus(matchmaking.Confirmed)
	})
	if err != nil {
		return nil, err
	}
	ph, err := currentPhase(ctx, client)
	if err != nil {
		return nil, err
	}
	create := client.Partnership.Create().SetUkrainianMunicipalityID(r.UkrainianMunicipalityID).
		SetEuropeanMunicipalityID(r.EuropeanMunicipalityID).SetPhaseID(ph).SetThemes(r.Themes).
		SetStartDate(time.Now().UTC().Truncate(24 * time.Hour))
	if r.FacilitatorID != nil {
		create.AddFacilitatorIDs(*r.FacilitatorID)
	}
	p, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	return client.PartnershipRequest.UpdateOne(r).SetPartnershipID(p.ID).Save(ctx)
}

// currentPhase returns the phase under way (the latest started), or the
// latest phase when none has started.
func currentPhase(ctx context.Context, client *ent.Client) (int, error) {
	id, err := client.Phase.Query().Where(phase.StartDateLTE(time.Now())).
		Order(phase.ByStartDate(sql.OrderDesc()), phase.ByID(sql.OrderDesc())).FirstID(ctx)
	if ent.IsNotFound(err) {
		id, err = client.Phase.Query().Order(phase.ByID(sql.OrderDesc())).FirstID(ctx)
	}
	if ent.IsNotFound(err) {
		return 0, apierr.New(apierr.BadUserInput, "there is no programme phase to create the partnership in")
	}
	return id, err
}

// withdraw withdraws a request.
func withdraw(ctx context.Context, client *ent.Client, id int, reason *string) (*ent.PartnershipRequest, error) {
	return stepRequest(ctx, client, id, func(u *ent.PartnershipRequestUpdateOne) *ent.PartnershipRequestUpdateOne {
		return u.SetStatus(matchmaking.Withdrawn).SetReason(strings.TrimSpace(valueOr(reason, "")))
	})
}

// partnershipRequestUpdated streams the requests the signed-in viewer may see.
func partnershipRequestUpdated(ctx context.Context, feed *live.Feed, id *int) (<-chan *ent.PartnershipRequest, error) {
	if viewer.FromContext(ctx) == nil {
		return nil, auth.ErrNotSignedIn
	}
	return feed.PartnershipRequestsUpdated(ctx, id)
}
