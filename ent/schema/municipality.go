package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// Municipality is a Ukrainian hromada or an EU city, town or village.
type Municipality struct{ ent.Schema }

// Mixin of the Municipality.
func (Municipality) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}, NameMixin{}} }

// Fields of the Municipality.
func (Municipality) Fields() []ent.Field {
	return []ent.Field{
		field.String("local_name").Optional().MaxLen(200).Comment("Name as written locally, e.g. Чугуїв or Kuldīga."),
		field.Enum("kind").Values("CITY", "TOWN", "VILLAGE", "SETTLEMENT", "HROMADA", "DISTRICT", "MUNICIPALITY").
			Default("MUNICIPALITY").Annotations(entgql.OrderField("KIND")),
		field.Int("population").Optional().Nillable().Min(0).Annotations(entgql.OrderField("POPULATION")),
		field.Float("latitude").Optional().Nillable().Range(-90, 90),
		field.Float("longitude").Optional().Nillable().Range(-180, 180),
		field.String("website").Optional().MaxLen(500).Validate(validURL),
		translations("profile", "A short profile, keyed by language code."),
		field.JSON("needs", []sector.Sector{}).Optional().
			Comment("Sectors in which the municipality seeks help; follows its need records (needRecords), which matchmaking uses.").
			Annotations(entgql.Type("[Sector!]"), entgql.Directives(entgql.Deprecated("use needRecords"))),
		field.JSON("offers", []sector.Sector{}).Optional().
			Comment("Sectors in which the municipality can offer help; follows its offer records (offerRecords), which matchmaking uses.").
			Annotations(entgql.Type("[Sector!]"), entgql.Directives(entgql.Deprecated("use offerRecords"))),
		field.Int("country_id"),
		field.Int("region_id").Optional().Nillable(),
	}
}

// Edges of the Municipality.
func (Municipality) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("country", Country.Type).Annotations(authz.TargetDecides).Ref("municipalities").Field("country_id").Unique().Required(),
		edge.From("region", Region.Type).Annotations(authz.SourceDecides).Ref("municipalities").Field("region_id").Unique(),
		edge.From("associations", Association.Type).Annotations(authz.TargetDecides).Ref("members").Annotations(entgql.RelayConnection()),
		edge.From("invited_to_events", Event.Type).Annotations(authz.TargetDecides).Ref("invited_municipalities").
			Comment("Events with the INVITED audience open to its staff.").Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("ua_partnerships", Partnership.Type).Annotations(authz.TargetDecides).
			Comment("Partnerships in which this is the Ukrainian municipality (its GraphQL field is graph's: one statement reads it with its sibling sides).").
			Annotations(entgql.Skip(entgql.SkipType, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("eu_partnerships", Partnership.Type).Annotations(authz.TargetDecides).
			Comment("Partnerships in which this is the EU municipality (its GraphQL field is graph's: one statement reads it with its sibling sides).").
			Annotations(entgql.Skip(entgql.SkipType, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("led_projects", Project.Type).Annotations(authz.TargetDecides).Comment("Projects this municipality leads. No has-projects filter: it would reveal concept projects.").
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.From("news_items", NewsItem.Type).Annotations(authz.TargetDecides).Ref("municipalities").Comment("News items about it (drafts only for their authors and the secretariat).").
			Annotations(entgql.RelayConnection(), noProbe),
		edge.To("need_records", Need.Type).Annotations(authz.TargetDecides).Comment("What it needs (Ukrainian municipalities).").
			Annotations(entgql.RelayConnection(), noInput),
		edge.To("offer_records", Offer.Type).Annotations(authz.TargetDecides).Comment("What it offers (EU municipalities).").
			Annotations(entgql.RelayConnection(), noInput),
		edge.From("documents", Document.Type).Annotations(authz.TargetDecides).Ref("municipalities").
			Comment("Library documents about it (drafts only for their authors and the secretariat).").
			Annotations(entgql.RelayConnection(), noProbe),
		edge.From("initiatives", Initiative.Type).Annotations(authz.TargetDecides).Ref("municipalities").
			Comment("Initiatives of organisations here.").Annotations(entgql.RelayConnection(), noInput),
		edge.To("match_profile", MatchProfile.Type).Annotations(authz.TargetDecides).Unique().Comment("Whether it is open to new partnerships; none means open.").
			Annotations(noInput),
	}
}

// noInput keeps an edge out of the mutation inputs.
var noInput = entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)

// Indexes of the Municipality.
func (Municipality) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("country_id", "name"),
		index.Fields("region_id"),
		index.Fields("name"),
	}
}

// Hooks of the Municipality.
func (Municipality) Hooks() []ent.Hook {
	return []ent.Hook{validateSectors("needs", "offers"), validateTranslations("profile"), validateMunicipalityPlace(), copyPlaceToPartnerships(), bumpMatchVersion()}
}

// Policy of the Municipality: anyone reads; its editors update its profile.
func (Municipality) Policy() ent.Policy { return publicPolicy(authz.AllowOwnMunicipalityUpdate()) }

// Annotations of the Municipality.
func (Municipality) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
		ResolvedByID{Fields: []string{"partnerships", "uaPartnerships", "euPartnerships", "actors"}},
	}
}
