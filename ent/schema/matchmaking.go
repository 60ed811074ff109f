package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// The matchmaking platform: what Ukrainian municipalities need and EU
// municipalities offer, each municipality's matchmaking profile, the pairs
// a municipality declined, partnership requests and the weights of the
// scoring factors. The rules are in internal/authz/matchmaking.go, the
// hooks in matchmaking_hooks.go, the engine in internal/matchmaking.

// privateContact marks contact fields: shown to signed-in users only (see
// graph/matchmaking.graphqls), never filtered or ordered on.
var privateContact = entgql.Skip(entgql.SkipType, entgql.SkipWhereInput, entgql.SkipOrderField)

// contactFields are the contact details of a need or an offer.
func contactFields() []ent.Field {
	return []ent.Field{
		field.String("contact_name").Optional().MaxLen(200).Comment("Who to contact (signed-in users only).").
			Annotations(privateContact),
		field.String("contact_email").Optional().MaxLen(320).Comment("Contact e-mail address (signed-in users only).").
			Annotations(privateContact),
	}
}

// validityFields are the dates between which a need or offer stands.
func validityFields() []ent.Field {
	return []ent.Field{
		field.Time("valid_from").Optional().Nillable().Annotations(entgql.OrderField("VALID_FROM")),
		field.Time("valid_until").Optional().Nillable().Comment("After this day the record is no longer matched.").
			Annotations(entgql.OrderField("VALID_UNTIL")),
	}
}

// Need is a sector in which a Ukrainian municipality seeks help.
type Need struct{ ent.Schema }

// Mixin of the Need.
func (Need) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Need.
func (Need) Fields() []ent.Field {
	return append(append([]ent.Field{
		field.Int("municipality_id").Immutable(),
		field.Enum("sector").GoType(sector.Sector("")).Annotations(entgql.Type("Sector"), entgql.OrderField("SECTOR")),
		field.String("description").Optional().MaxLen(2000).Comment("What is needed, in a few sentences."),
		field.Enum("urgency").GoType(matchmaking.Urgency("")).Default(string(matchmaking.UrgencyMedium)).
			Annotations(entgql.Type("Urgency"), entgql.OrderField("URGENCY")),
	}, validityFields()...), contactFields()...)
}

// Edges of the Need.
func (Need) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("municipality", Municipality.Type).Annotations(authz.SourceDecides).Ref("need_records").Field("municipality_id").
			Unique().Required().Immutable(),
	}
}

// Indexes of the Need: by municipality, and by sector for the matching.
func (Need) Indexes() []ent.Index {
	return []ent.Index{index.Fields("municipality_id"), index.Fields("sector", "municipality_id")}
}

// Hooks of the Need.
func (Need) Hooks() []ent.Hook {
	return []ent.Hook{bumpMatchVersion(), validateDateRange("valid_from", "valid_until"), requireSide("municipality_id", matchmaking.Ukrainian), syncLegacySectors()}
}

// Policy of the Need: anyone reads; the municipality's editors write.
func (Need) Policy() ent.Policy { return publicPolicy(authz.AllowMatchRecordWrites()) }

// Annotations of the Need.
func (Need) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}

// Offer is a sector in which an EU municipality can help, with how many
// partners or missions it can take on.
type Offer struct{ ent.Schema }

// Mixin of the Offer.
func (Offer) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Offer.
func (Offer) Fields() []ent.Field {
	return append(append([]ent.Field{
		field.Int("municipality_id").Immutable(),
		field.Enum("sector").GoType(sector.Sector("")).Annotations(entgql.Type("Sector"), entgql.OrderField("SECTOR")),
		field.String("description").Optional().MaxLen(2000).Comment("What is offered, in a few sentences."),
		field.Int("capacity").Default(1).Range(1, 100).Comment("How many partners or missions it can take on.").
			Annotations(entgql.OrderField("CAPACITY")),
		field.String("expertise").Optional().MaxLen(1000).Comment("The staff's expertise."),
	}, validityFields()...), contactFields()...)
}

// Edges of the Offer.
func (Offer) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("municipality", Municipality.Type).Annotations(authz.SourceDecides).Ref("offer_records").Field("municipality_id").
			Unique().Required().Immutable(),
	}
}

// Indexes of the Offer: by municipality, and by sector for the matching.
func (Offer) Indexes() []ent.Index {
	return []ent.Index{index.Fields("municipality_id"), index.Fields("sector", "municipality_id")}
}

// Hooks of the Offer.
func (Offer) Hooks() []ent.Hook {
	return []ent.Hook{bumpMatchVersion(), validateDateRange("valid_from", "valid_until"), requireSide("municipality_id", matchmaking.European), syncLegacySectors()}
}

// Policy of the Offer: anyone reads; the municipality's editors write.
func (Offer) Policy() ent.Policy { return publicPolicy(authz.AllowMatchRecordWrites()) }

// Annotations of the Offer.
func (Offer) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}

// MatchProfile is a municipality's stance on new partnerships: whether it
// is open to them, how many more partners it wants and the languages its
// staff speak. A municipality without one is open.
type MatchProfile struct{ ent.Schema }

// Mixin of the MatchProfile.
func (MatchProfile) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the MatchProfile.
func (MatchProfile) Fields() []ent.Field {
	return []ent.Field{
		field.Int("municipality_id").Unique().Immutable(),
		field.Bool("open").Default(true).Comment("Open to new partnerships; a closed profile is never suggested."),
		field.Int("wanted_partners").Optional().Nillable().Range(1, 50).Comment("How many more partners it wants."),
		field.Strings("languages").Optional().Validate(stringList(30, 8)).Comment("ISO 639-1 codes of the languages its staff speak, e.g. [\"en\", \"uk\"]."),
		field.Int64("language_mask").Default(0).Comment("The languages as a bit set (internal/matchmaking.Languages).").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the MatchProfile.
func (MatchProfile) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("municipality", Municipality.Type).Annotations(authz.SourceDecides).Ref("match_profile").Field("municipality_id").
			Unique().Required().Immutable(),
	}
}

// Hooks of the MatchProfile.
func (MatchProfile) Hooks() []ent.Hook { return []ent.Hook{bumpMatchVersion(), setLanguageMask()} }

// Policy of the MatchProfile: anyone reads; the municipality's editors write.
func (MatchProfile) Policy() ent.Policy { return publicPolicy(authz.AllowMatchRecordWrites()) }

// Annotations of the MatchProfile.
func (MatchProfile) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// MatchDecline hides a candidate from a municipality's suggestions: the
// pair is declined for the decliner only.
type MatchDecline struct{ ent.Schema }

// Mixin of the MatchDecline.
func (MatchDecline) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the MatchDecline.
func (MatchDecline) Fields() []ent.Field {
	return []ent.Field{
		field.Int("municipality_id").Immutable().Comment("The municipality that declined."),
		field.Int("candidate_id").Immutable().Comment("The municipality it declined."),
		field.String("reason").Optional().MaxLen(1000),
		field.Int("declined_by_id").Annotations(privateID).Optional().Nillable().Immutable(),
	}
}

// Edges of the MatchDecline.
func (MatchDecline) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("municipality", Municipality.Type).Annotations(authz.SourceDecides).Field("municipality_id").Unique().Required().Immutable(),
		edge.To("candidate", Municipality.Type).Annotations(authz.SourceDecides).Field("candidate_id").Unique().Required().Immutable(),
		edge.To("declined_by", User.Type).Annotations(authz.SourceDecides).Field("declined_by_id").Unique().Immutable().Annotations(noProbe),
	}
}

// Indexes of the MatchDecline: a pair is declined once per decliner.
func (MatchDecline) Indexes() []ent.Index {
	return []ent.Index{index.Fields("municipality_id", "candidate_id").Unique()}
}

// Hooks of the MatchDecline.
func (MatchDecline) Hooks() []ent.Hook { return []ent.Hook{defaultViewer("declined_by_id")} }

// Policy of the MatchDecline: the decliner's staff and the secretariat
// read; its editors write.
func (MatchDecline) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.MatchDeclineVisibility()},
		Mutation: authz.WritePolicy(authz.AllowMatchDeclineWrites()),
	}
}

// Annotations of the MatchDecline.
func (MatchDecline) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// PartnershipRequest is the way from interest to a partnership: proposed
// by one municipality, accepted by the other, facilitated by the EU
// side's national association (or the secretariat) and confirmed by the
// secretariat, which creates the partnership; or declined or withdrawn at
// any open step. Only the two municipalities' staff, their associations'
// editors and the secretariat see it.
type PartnershipRequest struct{ ent.Schema }

// Mixin of the PartnershipRequest.
func (PartnershipRequest) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the PartnershipRequest.
func (PartnershipRequest) Fields() []ent.Field {
	return []ent.Field{
		field.Int("ukrainian_municipality_id").Immutable(),
		field.Int("european_municipality_id").Immutable(),
		field.Int("initiator_id").Immutable().Comment("The municipality that proposed it."),
		field.Enum("status").GoType(matchmaking.Status("")).Default(string(matchmaking.Proposed)).
			Annotations(entgql.Type("PartnershipRequestStatus"), entgql.OrderField("STATUS")),
		field.Time("step_at").Default(timeNow).Comment("When the request reached its status.").
			Annotations(entgql.OrderField("STEP_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("message").Optional().MaxLen(2000).Comment("The proposer's message to the other side."),
		field.Strings("themes").Optional().Validate(stringList(maxThemes, maxThemeLen)).Comment("Themes of the partnership to be, e.g. \"water supply\"; at most 20 of at most 100 bytes each."),
		field.String("reason").Optional().MaxLen(1000).Comment("Why it was declined or withdrawn."),
		field.Bool("mutual").Default(false).Comment("Both sides expressed interest."),
		field.Int("proposed_by_id").Annotations(privateID).Optional().Nillable().Immutable(),
		field.Int("facilitator_id").Optional().Nillable().Comment("The association that facilitated it."),
		field.Int("partnership_id").Optional().Nillable().Unique().Comment("The partnership its confirmation created."),
		// A unique index on a nullable column works the same on both
		// databases, where partial indexes are written differently.
		field.String("open_pair").Optional().Nillable().Unique().MaxLen(64).
			Comment("\"<ukrainian id>-<european id>\" while the request is open, null after: one open request per pair.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the PartnershipRequest. They point out of the request only:
// the public types it names offer no edge or filter that could reveal it.
func (PartnershipRequest) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("ukrainian_municipality", Municipality.Type).Annotations(authz.SourceDecides).Field("ukrainian_municipality_id").Unique().Required().Immutable(),
		edge.To("european_municipality", Municipality.Type).Annotations(authz.SourceDecides).Field("european_municipality_id").Unique().Required().Immutable(),
		edge.To("initiator", Municipality.Type).Annotations(authz.SourceDecides).Field("initiator_id").Unique().Required().Immutable(),
		edge.To("proposed_by", User.Type).Annotations(authz.SourceDecides).Field("proposed_by_id").Unique().Immutable().Annotations(noProbe),
		edge.To("facilitator", Association.Type).Annotations(authz.SourceDecides).Field("facilitator_id").Unique(),
		edge.To("partnership", Partnership.Type).Annotations(authz.SourceDecides).Field("partnership_id").Unique(),
	}
}

// Indexes of the PartnershipRequest.
func (PartnershipRequest) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("ukrainian_municipality_id", "european_municipality_id"),
		index.Fields("european_municipality_id"),
		index.Fields("status", "step_at"),
	}
}

// Hooks of the PartnershipRequest.
func (PartnershipRequest) Hooks() []ent.Hook {
	return []ent.Hook{defaultViewer("proposed_by_id"), stampStep()}
}

// Policy of the PartnershipRequest.
func (PartnershipRequest) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.PartnershipRequestVisibility()},
		Mutation: authz.WritePolicy(authz.AllowPartnershipRequestSteps()),
	}
}

// Annotations of the PartnershipRequest.
func (PartnershipRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}

// MatchWeight overrides the default weight of one scoring factor
// (matchmaking.DefaultWeights). The secretariat sets it; it is audited.
type MatchWeight struct{ ent.Schema }

// Mixin of the MatchWeight.
func (MatchWeight) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the MatchWeight.
func (MatchWeight) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("factor").GoType(matchmaking.Factor("")).Annotations(entgql.Type("MatchFactor")),
		field.Float("weight").Min(0).Max(matchmaking.MaxWeight),
	}
}

// Indexes of the MatchWeight: one per factor.
func (MatchWeight) Indexes() []ent.Index { return []ent.Index{index.Fields("factor").Unique()} }

// Policy of the MatchWeight: anyone reads; the secretariat writes.
func (MatchWeight) Policy() ent.Policy { return publicPolicy() }

// MatchState is one row: the version of the data that the in-memory
// candidate index of the suggestions holds (municipalities, needs, offers,
// matchmaking profiles and partnerships). Every committed change of them raises it, so
// that each server knows when its index is stale (see matchsql.Cache).
type MatchState struct{ ent.Schema }

// Fields of the MatchState.
func (MatchState) Fields() []ent.Field {
	return []ent.Field{field.Int64("version").Default(0)}
}

// Policy of the MatchState: the Hub alone reads and writes it.
func (MatchState) Policy() ent.Policy { return systemOnlyPolicy() }

// Annotations of the MatchState: not in the API.
func (MatchState) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
