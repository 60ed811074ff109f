package apitest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// postReplies is a post with the first page of its replies.
type postReplies struct {
	ID      string
	Replies struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID string } }
	}
}

// replyIDs returns the replies of the page, in order.
func (p postReplies) replyIDs() []string { return nodeIDs(p.Replies.Edges) }

// TestSelfReferentialPagesMatchEachParentsOwn checks the first pages of an
// edge from a type to itself, a post's replies, read for the posts of
// several topics at once against each post's read alone, with and without
// their totals. On PostgreSQL the replies without totals fold into the
// posts' statement, which names the replies' table apart from the posts'
// (it compared each post's id with its own, and read no reply); the
// posts, whose rows load a connection, do not fold into the topics' (they
// did, and their replies were then read post by post).
func TestSelfReferentialPagesMatchEachParentsOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		c := store.Client
		cat := c.ForumCategory.Create().SetSlug("bridges").SetName("Bridges").SaveX(sys())
		writer := c.User.Create().SetEmail("bridges@example.org").SetDisplayName("Bridges").SaveX(sys())
		for i := range 3 {
			tp := c.Topic.Create().SetCategory(cat).SetTitle(fmt.Sprint("Bridges ", i)).SetAuthorID(writer.ID).SaveX(sys())
			for j := range 4 {
				p := c.Post.Create().SetTopic(tp).SetAuthorID(writer.ID).SetBody(fmt.Sprint("post ", j)).SaveX(sys())
				for k := range j {
					c.Post.Create().SetTopic(tp).SetAuthorID(writer.ID).SetReplyTo(p).SetBody(fmt.Sprint("reply ", k)).ExecX(sys())
				}
			}
		}
		cs, counter := counted(store)
		h := serve(t, cs)
		for _, total := range []string{"", "totalCount"} {
			replies := `replies(first: 2) { ` + total + ` edges { node { id } } }`
			var many struct {
				Topics struct {
					Edges []struct {
						Node struct {
							Posts struct{ Edges []struct{ Node postReplies } }
						}
					}
				}
			}
			stmts := countStatements(t, h, counter, false, `{ topics(first: 5) { edges { node { posts(first: 10) { edges { node { id `+replies+` } } } } } } }`, nil, &many)
			// The topics, their posts, the posts' replies: on PostgreSQL
			// in the posts' statement unless counted (the window counts
			// the pages of several parents).
			fold := store.Dialect == dialect.Postgres && total == ""
			want := 3
			if fold {
				want = 2
			}
			if len(stmts) != want {
				t.Errorf("%s: %d statements, want %d:\n%s", replies, len(stmts), want, strings.Join(stmts, "\n"))
			}
			folded := slices.ContainsFunc(stmts, func(s string) bool { return strings.Contains(s, `"hubf_replies__replies"`) })
			if folded != fold {
				t.Errorf("%s: replies folded %v, want %v:\n%s", replies, folded, fold, strings.Join(stmts, "\n"))
			}
			read := 0
			for _, te := range many.Topics.Edges {
				for _, pe := range te.Node.Posts.Edges {
					var one struct{ Node postReplies }
					h.data(t, `query($id: ID!) { node(id: $id) { ... on Post { id `+replies+` } } }`, map[string]any{"id": pe.Node.ID}, &one)
					if !slices.Equal(pe.Node.replyIDs(), one.Node.replyIDs()) || pe.Node.Replies.TotalCount != one.Node.Replies.TotalCount {
						t.Errorf("%s of post %s: %+v among many, %+v alone", replies, pe.Node.ID, pe.Node.Replies, one.Node.Replies)
					}
					read += len(one.Node.Replies.Edges)
				}
			}
			// 3 topics of 4 posts, 0 to 3 replies each, 2 a page; replies are posts of their topic too.
			if read != 3*(0+1+2+2) {
				t.Errorf("%s: %d replies read, want %d", replies, read, 3*(0+1+2+2))
			}
		}
	})
}
