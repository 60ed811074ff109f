// Package forumtest tests the forum, news and notifications the way their
// clients see them: GraphQL over real HTTP against the Hub's server, on
// SQLite and, when HUB_TEST_POSTGRES_URL is set, on PostgreSQL.
//
// The package holds only tests:
//
//   - forum_test.go: the contract queries, visibility of each category kind
//     for anonymous callers, signed-in users and the secretariat through root
//     lists, node(id:), nested edges, filters and search; locked topics,
//     author-only edits, reactions, flags and moderation, hidden posts,
//     reply counts and Markdown;
//   - news_test.go: drafts and publishing;
//   - notifications_test.go: replies, mentions and news notify each user
//     once, never the actor; unread count and marking read.
package forumtest
