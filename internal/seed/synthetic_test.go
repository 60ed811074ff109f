package seed_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

var small = seed.SyntheticOptions{Municipalities: 300, Partnerships: 600, Projects: 250, Activities: 150, Seed: 7}

// snapshot lists what a synthetic data set consists of, independent of ids
// and creation times, in a stable order.
func snapshot(t *testing.T, c *ent.Client) []string {
	t.Helper()
	ctx := authz.SystemContext(context.Background())
	var out []string
	for _, m := range c.Municipality.Query().WithCountry().WithRegion().AllX(ctx) {
		out = append(out, fmt.Sprintf("m %s/%s in %s pop %d at %.4f,%.4f %s needs %v offers %v", m.Edges.Country.Code, m.Name,
			m.Edges.Region.Name, *m.Population, *m.Latitude, *m.Longitude, m.Kind, m.Needs, m.Offers))
	}
	for _, p := range c.Partnership.Query().WithUkrainianMunicipality().WithEuropeanMunicipality().WithPhase().WithFacilitators().AllX(ctx) {
		out = append(out, fmt.Sprintf("p %s–%s %s %s %v %v %v %d", p.Edges.UkrainianMunicipality.Name, p.Edges.EuropeanMunicipality.Name,
			p.Edges.Phase.Name, p.Status, p.StartDate.Format("2006-01-02"), p.Themes, p.EndDate != nil, len(p.Edges.Facilitators)))
	}
	for _, p := range c.Project.Query().WithLeadMunicipality().AllX(ctx) {
		out = append(out, fmt.Sprintf("j %s %s %s %v %s", p.Title, p.Sector, p.Status, p.BudgetEur != nil, p.Edges.LeadMunicipality.Name))
	}
	for _, a := range c.Activity.Query().AllX(ctx) {
		out = append(out, fmt.Sprintf("a %s %s %s %s", a.Title, a.Kind, a.StartDate.Format("2006-01-02"), a.Place))
	}
	slices.Sort(out)
	return out
}

func TestSyntheticMeetsSizesAndIsDeterministic(t *testing.T) {
	ctx := authz.SystemContext(context.Background())
	var first []string
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		if err := seed.Synthetic(ctx, store.Client, small); err != nil {
			t.Fatalf("Synthetic: %v", err)
		}
		c := store.Client
		got := [4]int{c.Municipality.Query().CountX(ctx), c.Partnership.Query().CountX(ctx),
			c.Project.Query().CountX(ctx), c.Activity.Query().CountX(ctx)}
		if want := [4]int{small.Municipalities, small.Partnerships, small.Projects, small.Activities}; got != want {
			t.Fatalf("sizes %v, want %v", got, want)
		}
		if ua := c.Municipality.Query().Where(municipality.KindEQ(municipality.KindHROMADA)).CountX(ctx); ua == 0 || ua == small.Municipalities {
			t.Errorf("%d of %d municipalities are hromadas", ua, small.Municipalities)
		}
		snap := snapshot(t, c)
		if first == nil {
			first = snap
		} else if !slices.Equal(first, snap) {
			t.Errorf("the same seed gave another data set on %s:\n%s", store.Dialect, firstDifference(first, snap))
		}
	})
	other := dbtest.Open(t, "sqlite")
	opts := small
	opts.Seed = 8
	if err := seed.Synthetic(ctx, other.Client, opts); err != nil {
		t.Fatal(err)
	}
	if slices.Equal(first, snapshot(t, other.Client)) {
		t.Error("seeds 7 and 8 gave the same data set")
	}
}

func firstDifference(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + "\n" + b[i]
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

func TestSyntheticOnTopOfDemo(t *testing.T) {
	ctx := authz.SystemContext(context.Background())
	store := dbtest.Open(t, "sqlite")
	if err := seed.Demo(ctx, store.Client); err != nil {
		t.Fatal(err)
	}
	demo := storeCounts(t, store.Client)
	if err := seed.Synthetic(ctx, store.Client, small); err != nil {
		t.Fatal(err)
	}
	after := storeCounts(t, store.Client)
	if after.municipalities != demo.municipalities+small.Municipalities || after.partnerships != demo.partnerships+small.Partnerships ||
		after.countries != demo.countries || after.associations != demo.associations {
		t.Errorf("demo %+v, after synthetic %+v", demo, after)
	}
}

func TestSyntheticRefusesImpossibleSizes(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	err := seed.Synthetic(authz.SystemContext(context.Background()), store.Client, seed.SyntheticOptions{Municipalities: 10, Partnerships: 100})
	if err == nil || !strings.Contains(err.Error(), "too many") {
		t.Fatalf("got %v", err)
	}
}

// TestSyntheticForum loads a small synthetic forum on both stores: its
// topics in their own public category, each opened by its first post and
// kept by the forum's hooks (replies after the opening, last activity at
// the last post), the same forum for the same seed, and nothing added when
// it is loaded again.
func TestSyntheticForum(t *testing.T) {
	ctx := authz.SystemContext(context.Background())
	opts := small
	opts.Topics, opts.PostsPerTopic = 12, 4
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		c := store.Client
		for range 2 {
			if err := seed.Synthetic(ctx, c, opts); err != nil {
				t.Fatal(err)
			}
		}
		cat := c.ForumCategory.Query().Where(forumcategory.Slug(seed.SyntheticForumSlug)).OnlyX(ctx)
		if cat.Visibility != forumcategory.VisibilityPUBLIC {
			t.Errorf("synthetic category is %s", cat.Visibility)
		}
		topics := cat.QueryTopics().Order(ent.Asc(topic.FieldID)).WithPosts(func(q *ent.PostQuery) { q.Order(ent.Asc(post.FieldID)) }).AllX(ctx)
		if len(topics) != opts.Topics {
			t.Fatalf("%d topics, want %d", len(topics), opts.Topics)
		}
		var forum []string
		for _, tp := range topics {
			posts := tp.Edges.Posts
			if len(posts) != opts.PostsPerTopic || tp.ReplyCount != opts.PostsPerTopic-1 ||
				!tp.LastActivityAt.Equal(posts[len(posts)-1].CreatedAt) || *tp.AuthorID != *posts[0].AuthorID {
				t.Errorf("topic %q: %d posts, %d replies, last activity %v (last post %v)", tp.Title, len(posts),
					tp.ReplyCount, tp.LastActivityAt, posts[len(posts)-1].CreatedAt)
			}
			forum = append(forum, fmt.Sprint(tp.Title, tp.LastActivityAt.UTC()))
		}
		if !slices.Equal(forum, syntheticForum(t, opts)) {
			t.Error("the same seed gave another forum")
		}
	})
}

// syntheticForum lists the topics (title, last activity) of a synthetic
// forum of opts loaded into a fresh SQLite store.
func syntheticForum(t *testing.T, opts seed.SyntheticOptions) []string {
	ctx := authz.SystemContext(context.Background())
	store := dbtest.Open(t, "sqlite")
	if err := seed.Synthetic(ctx, store.Client, opts); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tp := range store.Client.Topic.Query().Order(ent.Asc(topic.FieldID)).AllX(ctx) {
		out = append(out, fmt.Sprint(tp.Title, tp.LastActivityAt.UTC()))
	}
	return out
}

// TestSyntheticForumRefusesTopicsWithoutPosts checks the forum's sizes.
func TestSyntheticForumRefusesTopicsWithoutPosts(t *testing.T) {
	store := dbtest.Open(t, "sqlite")
	opts := small
	opts.Topics = 3
	err := seed.Synthetic(authz.SystemContext(context.Background()), store.Client, opts)
	if err == nil || !strings.Contains(err.Error(), "at least one post") {
		t.Fatalf("got %v", err)
	}
}
