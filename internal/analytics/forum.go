package analytics

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/topic"
)

// posts groups forum posts; besides the posts, each group counts the
// distinct topics they were written in.
var posts = spec{distinct: post.FieldTopicID, dims: map[string]dimension{
	"MONTH": {key: func(s *sql.Selector, _ *joins) string { return month(s, post.FieldCreatedAt) }},
	"TOPIC": {key: column(post.FieldTopicID)},
	"CATEGORY": {key: func(s *sql.Selector, j *joins) string {
		t := j.table("tp", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, topic.Table, "tp", s.C(post.FieldTopicID), topic.FieldID)
		})
		return j.table("cat", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, forumcategory.Table, "cat", t.C(topic.FieldCategoryID), forumcategory.FieldID)
		}).C(forumcategory.FieldSlug)
	}},
}}

// ForumStats groups the forum posts that where selects and the viewer in
// ctx may list (posts of the categories the viewer reads; hidden posts
// only for their author and the secretariat) by groupBy (ForumGrouping
// values).
func ForumStats(ctx context.Context, client *ent.Client, where *ent.PostWhereInput, groupBy []string) ([]*Group, error) {
	q, err := where.Filter(client.Post.Query())
	return grouped[*ent.PostSelect](ctx, posts, q, err, groupBy)
}

// news groups news items. A draft has no publication month: it falls in
// the null MONTH group.
var news = spec{dims: map[string]dimension{
	"MONTH":    {key: func(s *sql.Selector, _ *joins) string { return month(s, newsitem.FieldPublishedAt) }},
	"STATUS":   {key: column(newsitem.FieldStatus)},
	"LANGUAGE": {key: column(newsitem.FieldLanguage)},
	"PARTNERSHIP": {multi: true, key: func(s *sql.Selector, j *joins) string {
		return j.table("np", func(s *sql.Selector) *sql.SelectTable {
			return leftJoin(s, newsitem.PartnershipsTable, "np", s.C(newsitem.FieldID), newsitem.PartnershipsPrimaryKey[0])
		}).C(newsitem.PartnershipsPrimaryKey[1])
	}},
}}

// NewsStats groups the news items that where selects and the viewer in ctx
// may list (published items; drafts only for their author and the
// secretariat) by groupBy (NewsGrouping values).
func NewsStats(ctx context.Context, client *ent.Client, where *ent.NewsItemWhereInput, groupBy []string) ([]*Group, error) {
	q, err := where.Filter(client.NewsItem.Query())
	return grouped[*ent.NewsItemSelect](ctx, news, q, err, groupBy)
}
