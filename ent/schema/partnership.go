package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/internal/authz"
)

// Partnership pairs exactly one Ukrainian municipality with exactly one EU
// municipality within a programme phase. A pair exists at most once.
type Partnership struct{ ent.Schema }

// Mixin of the Partnership.
func (Partnership) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Partnership.
func (Partnership) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("status").Values("PROPOSED", "ACTIVE", "CONCLUDED", "SUSPENDED").Default("ACTIVE").
			Annotations(entgql.OrderField("STATUS")),
		field.Time("start_date").Optional().Nillable().Annotations(entgql.OrderField("START_DATE")),
		field.Time("end_date").Optional().Nillable().Annotations(entgql.OrderField("END_DATE")),
		field.Strings("themes").Optional().Validate(stringList(maxThemes, maxThemeLen)).Comment("Themes of cooperation, e.g. \"waste\" or \"culture\"; at most 20 of at most 100 bytes each."),
		field.String("source").Optional().MaxLen(1000).Validate(validURL).Comment("Where the partnership was published."),
		field.Int("ukrainian_municipality_id"),
		field.Int("european_municipality_id"),
		field.Int("phase_id"),
		// The places of the two municipalities, copied onto the partnership
		// so that grouped aggregates (internal/analytics) group without
		// joining the municipalities; kept by keepPartnershipPlaces.
		field.Int("ukrainian_country_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Country of the Ukrainian municipality, kept by a hook."),
		field.Int("ukrainian_region_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Region of the Ukrainian municipality, kept by a hook."),
		field.Int("european_country_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Country of the EU municipality, kept by a hook."),
	}
}

// Edges of the Partnership.
func (Partnership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("ukrainian_municipality", Municipality.Type).Annotations(authz.SourceDecides).Ref("ua_partnerships").
			Field("ukrainian_municipality_id").Unique().Required(),
		edge.From("european_municipality", Municipality.Type).Annotations(authz.SourceDecides).Ref("eu_partnerships").
			Field("european_municipality_id").Unique().Required(),
		edge.From("phase", Phase.Type).Annotations(authz.SourceDecides).Ref("partnerships").Field("phase_id").Unique().Required(),
		edge.From("facilitators", Association.Type).Annotations(authz.TargetDecides).Ref("facilitated_partnerships").
			Comment("Associations that facilitate the partnership.").Annotations(entgql.RelayConnection()),
		edge.To("projects", Project.Type).Annotations(authz.TargetDecides).
			Comment("No has-projects filter: it would reveal concept projects; filter projects instead.").
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("activities", Activity.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection()),
		edge.From("news_items", NewsItem.Type).Annotations(authz.TargetDecides).Ref("partnerships").Comment("News items about it (drafts only for their authors and the secretariat).").
			Annotations(entgql.RelayConnection(), noProbe),
		edge.From("topics", Topic.Type).Annotations(authz.TargetDecides).Ref("partnerships").
			Comment("Forum topics about it (only those of the categories the viewer reads).").
			Annotations(entgql.RelayConnection(), noProbe),
		edge.From("documents", Document.Type).Annotations(authz.TargetDecides).Ref("partnerships").
			Comment("Library documents about it (drafts only for their authors and the secretariat).").
			Annotations(entgql.RelayConnection(), noProbe),
	}
}

// Indexes of the Partnership.
func (Partnership) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("ukrainian_municipality_id", "european_municipality_id").Unique(),
		index.Fields("european_municipality_id"),
		index.Fields("phase_id", "status"),
		index.Fields("status"),
		index.Fields("start_date"),
		// The groupings analysts ask for most read these instead of the
		// table (an index-only scan: 27-30 ms against 87-105 ms for
		// partnershipStats by [EU_COUNTRY, PHASE] on 200,000 partnerships).
		index.Fields("european_country_id", "phase_id"),
		index.Fields("ukrainian_region_id", "phase_id"),
	}
}

// Hooks of the Partnership.
func (Partnership) Hooks() []ent.Hook {
	return []ent.Hook{validateDateRange("start_date", "end_date"), validatePartnershipPair(), normaliseThemes(), keepPartnershipPlaces(), bumpMatchVersion()}
}

// Policy of the Partnership: anyone reads; the secretariat writes.
func (Partnership) Policy() ent.Policy { return publicPolicy() }

// Annotations of the Partnership.
func (Partnership) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
