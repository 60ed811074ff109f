package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// SyntheticForumSlug is the slug of the public forum category that holds
// the synthetic topics; a store that has it already keeps its forum as it
// is when the synthetic data set is loaded again.
const SyntheticForumSlug = "synthetic"

// forumStream is the second word of the PCG seed of the forum's dates, so
// that sizing the forum leaves the rest of the data set as it was.
const forumStream = 0x466f72 // "For"

// forumStart is when the first synthetic topic opens.
var forumStart = time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)

// forumPlan is a synthetic forum: topics of posts in one public category,
// written in turn by a set of writers.
type forumPlan struct {
	writers int
	topics  []topicPlan
}

// topicPlan is one synthetic topic and its posts, oldest first.
type topicPlan struct {
	title  string
	author int // index into the writers
	posts  []postPlan
}

// postPlan is one post of a synthetic topic.
type postPlan struct {
	author  int
	body    string
	created time.Time
}

// newForumPlan generates a forum of opts.Topics topics with
// opts.PostsPerTopic posts each (the first opens the topic), with one
// writer to every ten topics; topics open a few hours apart and their
// posts follow minutes to days apart.
func newForumPlan(opts SyntheticOptions) forumPlan {
	rng := rand.New(rand.NewPCG(opts.Seed, forumStream))
	f := forumPlan{writers: max(1, opts.Topics/10)}
	sectors := sector.All
	for i := range opts.Topics {
		t := topicPlan{
			title:  fmt.Sprintf("%s: experience wanted (%d)", sectors[i%len(sectors)], i+1),
			author: rng.IntN(f.writers),
		}
		at := forumStart.Add(time.Duration(i) * 3 * time.Hour)
		for j := range opts.PostsPerTopic {
			author := rng.IntN(f.writers)
			if j == 0 {
				author = t.author
			}
			t.posts = append(t.posts, postPlan{author: author, created: at,
				body: fmt.Sprintf("Post %d of topic %d: how did your municipality go about **%s**?", j+1, i+1, sectors[i%len(sectors)])})
			at = at.Add(time.Duration(1+rng.IntN(48*60)) * time.Minute)
		}
		f.topics = append(f.topics, t)
	}
	return f
}

// writerEmail is the address of synthetic writer i.
func writerEmail(i int) string { return fmt.Sprintf("writer%d@synthetic.example.org", i+1) }

// createForum writes the planned forum through the forum's own hooks (the
// topics' reply counts and last activity, the posts' HTML), unless the
// synthetic category exists already.
func (p *plan) createForum(ctx context.Context, res *importer.Resolver) error {
	if len(p.forum.topics) == 0 {
		return nil
	}
	client := res.Client()
	if exists, err := client.ForumCategory.Query().Where(forumcategory.Slug(SyntheticForumSlug)).Exist(ctx); err != nil || exists {
		return err
	}
	writers, err := p.createWriters(ctx, client)
	if err != nil {
		return err
	}
	category, err := client.ForumCategory.Create().SetSlug(SyntheticForumSlug).SetName("Exchanges between towns").
		SetDescription("Synthetic topics for load tests.").Save(ctx)
	if err != nil {
		return err
	}
	return importer.InBatches(ctx, p.logger, "forum topics", p.forum.topics, 1,
		func(ctx context.Context, chunk []topicPlan) error {
			for _, tp := range chunk {
				if err := createTopic(ctx, client, category.ID, tp, writers); err != nil {
					return err
				}
			}
			return nil
		})
}

// createWriters creates the forum's writers (users without a password, who
// cannot sign in) or finds those an earlier load created, in order.
func (p *plan) createWriters(ctx context.Context, client *ent.Client) ([]int, error) {
	ids := make([]int, p.forum.writers)
	for i := range ids {
		email := writerEmail(i)
		id, err := client.User.Query().Where(user.Email(email)).OnlyID(ctx)
		if ent.IsNotFound(err) {
			var u *ent.User
			if u, err = client.User.Create().SetEmail(email).SetDisplayName(fmt.Sprint("Writer ", i+1)).Save(ctx); err == nil {
				id = u.ID
			}
		}
		if err != nil {
			return nil, fmt.Errorf("writer %s: %w", email, err)
		}
		ids[i] = id
	}
	return ids, nil
}

// createTopic creates one planned topic and its posts.
func createTopic(ctx context.Context, client *ent.Client, category int, tp topicPlan, writers []int) error {
	t, err := client.Topic.Create().SetCategoryID(category).SetTitle(tp.title).SetAuthorID(writers[tp.author]).
		SetCreatedAt(tp.posts[0].created).Save(ctx)
	if err != nil {
		return err
	}
	for _, pp := range tp.posts {
		err := client.Post.Create().SetTopicID(t.ID).SetAuthorID(writers[pp.author]).SetBody(pp.body).
			SetCreatedAt(pp.created).Exec(ctx)
		if err != nil {
			return err
		}
	}
	return nil
}
