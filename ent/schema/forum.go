package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/forum"
)

// The forum: categories hold topics, topics hold posts; users react to
// posts, mention each other in them and flag them for moderation. Who sees
// what is the categories' visibility (see internal/authz/forum.go). Edges
// that lead to records the caller may not see (hidden posts, users for
// anonymous callers, flags) skip the generated where filters, so that no
// has-edge filter can probe them; see partnership.go.

// skipInputs keeps an edge or field out of entgql's mutation inputs.
var skipInputs = entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)

// noProbe keeps an edge out of the where filters and mutation inputs.
var noProbe = entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)

// privateID keeps the id field of an edge to rows that some viewers may not
// read out of the GraphQL type and its filters: the edge itself shows the
// row (or null) by the row's rules, while a raw id would name rows the
// viewer may not see. Mutation inputs keep it. A test (internal/authz)
// walks the schema for id fields of non-public types without it.
var privateID = entgql.Skip(entgql.SkipType, entgql.SkipWhereInput)

// ForumCategory groups forum topics; its visibility says who reads them.
type ForumCategory struct{ ent.Schema }

// Mixin of the ForumCategory.
func (ForumCategory) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the ForumCategory.
func (ForumCategory) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100).Validate(notBlank).Annotations(entgql.OrderField("NAME")),
		field.String("slug").Unique().NotEmpty().MaxLen(60).Validate(validSlug).
			Comment("Short lower-case key for addresses, e.g. water-and-energy.").Annotations(entgql.OrderField("SLUG")),
		field.String("description").Optional().MaxLen(2000),
		field.Enum("visibility").Values("PUBLIC", "MEMBERS", "SECRETARIAT").Default("PUBLIC").
			Comment("PUBLIC: anyone reads; MEMBERS: signed-in users; SECRETARIAT: the Hub secretariat only.").
			Annotations(entgql.OrderField("VISIBILITY")),
	}
}

// Edges of the ForumCategory.
func (ForumCategory) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("topics", Topic.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection(), skipInputs),
		edge.From("followers", User.Type).Annotations(authz.TargetDecides).Ref("followed_categories").
			Comment("Users whose e-mail digests list its new topics.").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Policy of the ForumCategory: readers by visibility; the secretariat writes.
func (ForumCategory) Policy() ent.Policy { return forumCategoryPolicy() }

// Annotations of the ForumCategory.
func (ForumCategory) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Topic is a forum thread: a title and the posts under it, the first of
// which is its body.
type Topic struct{ ent.Schema }

// Mixin of the Topic.
func (Topic) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Topic.
func (Topic) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().MaxLen(200).Validate(notBlank).Annotations(entgql.OrderField("TITLE")),
		field.Strings("tags").Optional().Validate(validTags).Comment("Up to 10 lower-case tags of at most 40 characters."),
		field.Bool("pinned").Default(false).Comment("Pinned topics are listed first (the secretariat pins).").
			Annotations(entgql.OrderField("PINNED")),
		field.Bool("locked").Default(false).Comment("Nobody but the secretariat posts in a locked topic."),
		field.Int("reply_count").Default(0).Min(0).Comment("Visible posts after the first, kept by hooks.").
			Annotations(entgql.OrderField("REPLY_COUNT")),
		field.Time("last_activity_at").Default(time.Now).Comment("When the last visible post was written, kept by hooks.").
			Annotations(entgql.OrderField("LAST_ACTIVITY_AT")),
		field.Int("category_id"),
		field.Int("author_id").Annotations(privateID).Optional().Nillable().Immutable().
			Comment("Set to the signed-in user on creation; null in the API for callers who may not see users."),
	}
}

// Edges of the Topic.
func (Topic) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("category", ForumCategory.Type).Annotations(authz.SourceDecides, authz.VisibleWithSource).Ref("topics").Field("category_id").Unique().Required(),
		edge.To("author", User.Type).Annotations(authz.SourceDecides).Field("author_id").Unique().Immutable().Annotations(noProbe),
		edge.To("posts", Post.Type).Annotations(authz.TargetDecides).
			Comment("In the order they were written; the first is the topic's body. No filter here (it would probe hidden posts): filter the root posts by topicID.").
			Annotations(entgql.RelayConnection(), noProbe),
		edge.To("partnerships", Partnership.Type).Annotations(authz.SourceDecides).
			Comment("Partnerships the topic is about; its posts count in their last activity.").
			Annotations(entgql.RelayConnection(), skipInputs),
	}
}

// Indexes of the Topic: a category's topics and the whole forum's, by
// last activity. Over all categories PostgreSQL reads the latest topics
// from the index and stops at the page (scripts/bench's forum page), where
// without it it sorted every topic. The index holds the id after the last
// activity, descending then ascending as a page orders them (the id breaks
// ties in ascending order whatever the direction), so the page needs no
// sort of its own.
func (Topic) Indexes() []ent.Index {
	return []ent.Index{index.Fields("category_id", "last_activity_at"),
		index.Fields("last_activity_at", "id").Annotations(entsql.DescColumns("last_activity_at")),
		index.Fields("author_id")}
}

// Hooks of the Topic: its author is the viewer who opens it. Live events
// are published by internal/forum.
func (Topic) Hooks() []ent.Hook { return []ent.Hook{defaultViewer("author_id")} }

// Policy of the Topic: readers of its category read it; they create topics.
func (Topic) Policy() ent.Policy { return topicPolicy() }

// Annotations of the Topic.
func (Topic) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}

// Post is a message in a topic, written in Markdown and stored also as
// sanitized HTML.
type Post struct{ ent.Schema }

// Mixin of the Post.
func (Post) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Post.
func (Post) Fields() []ent.Field {
	return []ent.Field{
		field.Text("body").NotEmpty().MaxLen(20000).Validate(notBlank).Comment("Markdown."),
		field.Text("body_html").Default("").MaxLen(maxRenderedHTML).Comment("The body rendered to HTML and sanitized, kept by a hook.").
			Annotations(skipInputs),
		field.Time("edited_at").Optional().Nillable().Comment("When the author last changed the body."),
		field.Time("hidden_at").Optional().Nillable().
			Comment("When a moderator (or the author, deleting it) hid the post; hidden posts are shown to their author and the secretariat only."),
		field.Int("topic_id").Immutable(),
		field.Int("author_id").Annotations(privateID).Optional().Nillable().Immutable().
			Comment("Set to the signed-in user on creation; null in the API for callers who may not see users."),
		field.Int("reply_to_id").Annotations(privateID).Optional().Nillable().Immutable().Comment("The post of the same topic this one answers."),
		field.Int("hidden_by_id").Optional().Nillable().Comment("The moderator who hid the post; kept out of the API (see the audit log).").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Post.
func (Post) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("topic", Topic.Type).Annotations(authz.SourceDecides, authz.VisibleWithSource).Ref("posts").Field("topic_id").Unique().Required().Immutable(),
		edge.To("author", User.Type).Annotations(authz.SourceDecides).Field("author_id").Unique().Immutable().Annotations(noProbe),
		edge.To("replies", Post.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection(), noProbe).
			From("reply_to").Annotations(authz.SourceDecides).Field("reply_to_id").Unique().Immutable().Annotations(noProbe),
		edge.To("hidden_by", User.Type).Annotations(authz.SourceDecides).Field("hidden_by_id").Unique().Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("mentions", User.Type).Annotations(authz.SourceDecides).Comment("Users the body mentions by @handle, kept by a hook.").Annotations(noProbe),
		edge.To("reactions", Reaction.Type).Annotations(authz.TargetDecides).Annotations(entgql.RelayConnection(), skipInputs),
		edge.To("flags", Flag.Type).Annotations(authz.TargetDecides).Comment("Reports of the post: the secretariat sees all, users their own.").
			Annotations(entgql.RelayConnection(), noProbe),
	}
}

// Indexes of the Post. A topic's posts are indexed in their id order (the
// default order of posts(first:)): PostgreSQL reads a topic's first page
// of posts from the index and stops (see ent/perparent.go), where an index
// on the topic alone made it read and sort every post of the topic.
//
// A topic's posts by time are read in their page's order from
// (topic_id, created_at, id), oldest first, and its latest posts (as a
// forum page lists them under each topic) from (topic_id, created_at
// descending, id): a page orders ties by ascending id whatever the
// direction, so each order has its index and PostgreSQL reads 3 posts and
// stops, where it otherwise read and sorted all of the topic's (without
// the id, it sorted each run of equal times: 0.48 to 0.41 ms for a forum
// page's statement).
func (Post) Indexes() []ent.Index {
	return []ent.Index{index.Fields("topic_id", "id"),
		index.Fields("topic_id", "created_at", "id"),
		index.Fields("topic_id", "created_at", "id").Annotations(entsql.DescColumns("created_at")).StorageKey("post_topic_id_created_at_desc_id"),
		index.Fields("author_id"), index.Fields("reply_to_id")}
}

// Hooks of the Post: its author is the viewer who writes it, and its
// derived fields (HTML, edit time, mentions) are internal/forum's, as are
// the counters, notifications and live events that follow a write.
func (Post) Hooks() []ent.Hook {
	return append([]ent.Hook{defaultViewer("author_id")}, forum.PostDerivations()...)
}

// Policy of the Post.
func (Post) Policy() ent.Policy { return postPolicy() }

// Annotations of the Post.
func (Post) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}

// Reaction is a user's reaction of one kind to a post; a user gives each
// kind at most once per post.
type Reaction struct{ ent.Schema }

// Mixin of the Reaction.
func (Reaction) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Reaction.
func (Reaction) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("LIKE", "THANKS", "INSIGHTFUL", "SUPPORT").Immutable(),
		field.Int("post_id").Immutable(),
		field.Int("user_id").Annotations(privateID).Optional().Nillable().Immutable().
			Comment("Set to the signed-in user; null in the API for callers who may not see users."),
	}
}

// Edges of the Reaction.
func (Reaction) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("post", Post.Type).Annotations(authz.SourceDecides, authz.VisibleWithSource).Ref("reactions").Field("post_id").Unique().Required().Immutable(),
		edge.To("user", User.Type).Annotations(authz.SourceDecides).Field("user_id").Unique().Immutable().Annotations(noProbe),
	}
}

// Indexes of the Reaction.
func (Reaction) Indexes() []ent.Index {
	return []ent.Index{index.Fields("post_id", "user_id", "kind").Unique(), index.Fields("user_id")}
}

// Hooks of the Reaction.
func (Reaction) Hooks() []ent.Hook { return []ent.Hook{defaultViewer("user_id")} }

// Policy of the Reaction: visible with its post; users add and remove their own.
func (Reaction) Policy() ent.Policy { return reactionPolicy() }

// Annotations of the Reaction.
func (Reaction) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Flag is a user's report of a post to the moderators, with a reason. A
// user flags a post at most once.
type Flag struct{ ent.Schema }

// Mixin of the Flag.
func (Flag) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}, TimeMixin{}} }

// Fields of the Flag.
func (Flag) Fields() []ent.Field {
	return []ent.Field{
		field.String("reason").NotEmpty().MaxLen(1000).Validate(notBlank),
		field.Enum("status").Values("OPEN", "RESOLVED").Default("OPEN").Annotations(entgql.OrderField("STATUS")),
		field.Enum("resolution").Values("HIDE", "RESTORE", "DISMISS").Optional().Nillable().
			Comment("What the moderator did: hid the post, restored it, or dismissed the report."),
		field.Time("resolved_at").Optional().Nillable(),
		field.Int("post_id").Annotations(privateID).Immutable(),
		field.Int("reporter_id").Annotations(privateID).Immutable(),
		field.Int("resolved_by_id").Annotations(privateID).Optional().Nillable(),
	}
}

// Edges of the Flag.
func (Flag) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("post", Post.Type).Annotations(authz.SourceDecides).Ref("flags").Field("post_id").Unique().Required().Immutable().Annotations(noProbe),
		edge.To("reporter", User.Type).Annotations(authz.SourceDecides).Field("reporter_id").Unique().Required().Immutable().Annotations(noProbe),
		edge.To("resolved_by", User.Type).Annotations(authz.SourceDecides).Field("resolved_by_id").Unique().
			Comment("Shown to the secretariat only (graph/forum.graphqls), not to the reporter.").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Flag.
func (Flag) Indexes() []ent.Index {
	return []ent.Index{index.Fields("post_id", "reporter_id").Unique(), index.Fields("status"), index.Fields("reporter_id")}
}

// Hooks of the Flag.
func (Flag) Hooks() []ent.Hook { return []ent.Hook{defaultViewer("reporter_id")} }

// Policy of the Flag: the secretariat and the reporter read it.
func (Flag) Policy() ent.Policy { return flagPolicy() }

// Annotations of the Flag.
func (Flag) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
}
