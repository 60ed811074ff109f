package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// community is data/community.json: the demo's forum (a category of each
// visibility, topics and posts by the demo accounts), joint project
// concepts built from the published themes of partnerships, and draft
// news; see data/README.md.
type community struct {
	Categories []struct {
		Slug, Name, Visibility, Description string
	}
	Topics []struct {
		Category, Title string
		Tags            []string
		Pinned          bool
		Posts           []struct{ Author, Body string }
	}
	Projects []struct {
		UA, EU, Lead, Sector, Status, Title, Summary string
		EUCountry                                    string `json:"eu_country"`
		TitleUK                                      string `json:"title_uk"`
	}
	NewsDrafts []struct {
		Author, Title, Summary, Body string
	} `json:"news_drafts"`
}

// communityCounts says how many rows loadCommunity created.
type communityCounts struct{ categories, topics, posts, projects, news int }

// loadCommunity creates what data/community.json describes and the news of
// data/events.csv that are not stored yet (categories by slug, topics,
// projects and news items by title); the partnerships, events and demo
// accounts must have been loaded.
func loadCommunity(ctx context.Context, res *importer.Resolver) (communityCounts, error) {
	var (
		c   community
		out communityCounts
	)
	b, err := data.ReadFile("data/community.json")
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return out, fmt.Errorf("data/community.json: %w", err)
	}
	client := res.Client()
	users, err := demoUserIDs(ctx, client)
	if err != nil {
		return out, err
	}
	steps := []func() error{
		func() (err error) { out.categories, err = c.loadCategories(ctx, client); return err },
		func() (err error) { out.topics, out.posts, err = c.loadTopics(ctx, client, users); return err },
		func() (err error) { out.projects, err = c.loadProjects(ctx, res); return err },
		func() (err error) { out.news, err = loadNews(ctx, res, c, users); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return out, fmt.Errorf("data/community.json: %w", err)
		}
	}
	return out, nil
}

// demoUserIDs maps the demo accounts' e-mail addresses to their ids.
func demoUserIDs(ctx context.Context, client *ent.Client) (map[string]int, error) {
	emails := make([]string, len(demoAccounts))
	for i, a := range demoAccounts {
		emails[i] = a.Email
	}
	list, err := client.User.Query().Where(user.EmailIn(emails...)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, u := range list {
		out[u.Email] = u.ID
	}
	return out, nil
}

// author returns the id of a demo account by e-mail address.
func author(users map[string]int, email string) (int, error) {
	id, ok := users[email]
	if !ok {
		return 0, fmt.Errorf("author %q is not a demo account", email)
	}
	return id, nil
}

func (c community) loadCategories(ctx context.Context, client *ent.Client) (int, error) {
	n := 0
	for _, cat := range c.Categories {
		exists, err := client.ForumCategory.Query().Where(forumcategory.Slug(cat.Slug)).Exist(ctx)
		if err != nil {
			return n, err
		}
		if exists {
			continue
		}
		err = client.ForumCategory.Create().SetSlug(cat.Slug).SetName(cat.Name).SetDescription(cat.Description).
			SetVisibility(forumcategory.Visibility(cat.Visibility)).Exec(ctx)
		if err != nil {
			return n, fmt.Errorf("category %s: %w", cat.Slug, err)
		}
		n++
	}
	return n, nil
}

// loadTopics creates each missing topic, written by the author of its
// first post, and its posts in order.
func (c community) loadTopics(ctx context.Context, client *ent.Client, users map[string]int) (topics, posts int, err error) {
	for _, tp := range c.Topics {
		exists, err := client.Topic.Query().Where(topic.Title(tp.Title)).Exist(ctx)
		if err != nil {
			return topics, posts, err
		}
		if exists || len(tp.Posts) == 0 {
			continue
		}
		categoryID, err := client.ForumCategory.Query().Where(forumcategory.Slug(tp.Category)).OnlyID(ctx)
		if err != nil {
			return topics, posts, fmt.Errorf("topic %q: category %s: %w", tp.Title, tp.Category, err)
		}
		first, err := author(users, tp.Posts[0].Author)
		if err != nil {
			return topics, posts, err
		}
		t, err := client.Topic.Create().SetCategoryID(categoryID).SetTitle(tp.Title).SetTags(tp.Tags).
			SetPinned(tp.Pinned).SetAuthorID(first).Save(ctx)
		if err != nil {
			return topics, posts, fmt.Errorf("topic %q: %w", tp.Title, err)
		}
		topics++
		for _, p := range tp.Posts {
			id, err := author(users, p.Author)
			if err != nil {
				return topics, posts, err
			}
			if err := client.Post.Create().SetTopicID(t.ID).SetAuthorID(id).SetBody(p.Body).Exec(ctx); err != nil {
				return topics, posts, fmt.Errorf("topic %q: post: %w", tp.Title, err)
			}
			posts++
		}
	}
	return topics, posts, nil
}

// loadProjects creates the missing project concepts of partnerships.
func (c community) loadProjects(ctx context.Context, res *importer.Resolver) (int, error) {
	client, n := res.Client(), 0
	for _, pr := range c.Projects {
		exists, err := client.Project.Query().Where(project.Title(pr.Title)).Exist(ctx)
		if err != nil {
			return n, err
		}
		if exists {
			continue
		}
		key := importer.PairKey{
			Ukrainian: importer.MunicipalityKey{Country: importer.Ukraine, Name: pr.UA},
			European:  importer.MunicipalityKey{Country: pr.EUCountry, Name: pr.EU},
		}
		p := res.Partnership(key)
		if p == nil {
			return n, fmt.Errorf("project %q: partnership %s is not in data/partnerships.csv", pr.Title, key)
		}
		lead := p.UkrainianMunicipalityID
		if pr.Lead == "eu" {
			lead = p.EuropeanMunicipalityID
		}
		err = client.Project.Create().SetPartnershipID(p.ID).SetLeadMunicipalityID(lead).SetTitle(pr.Title).
			SetTitleTranslations(i18n.Texts{i18n.Ukrainian: pr.TitleUK}).SetSummary(i18n.Texts{i18n.English: pr.Summary}).
			SetSector(sector.Sector(pr.Sector)).SetStatus(project.Status(pr.Status)).Exec(ctx)
		if err != nil {
			return n, fmt.Errorf("project %q: %w", pr.Title, err)
		}
		n++
	}
	return n, nil
}

// loadNews creates a published news item for each event of
// data/events.csv with a source, dated on the event and linked to the
// partnerships and municipalities its title and place name, and the drafts
// of data/community.json, all written by the demo secretariat.
func loadNews(ctx context.Context, res *importer.Resolver, c community, users map[string]int) (int, error) {
	client := res.Client()
	events, err := readCSV("events.csv")
	if err != nil {
		return 0, err
	}
	pairs, err := demoPairs()
	if err != nil {
		return 0, err
	}
	secretariat, err := author(users, demoAccounts[0].Email)
	if err != nil {
		return 0, err
	}
	var builders []*ent.NewsItemCreate
	for _, ev := range events {
		if ev["source"] == "" {
			continue
		}
		b, err := eventNews(client, res, ev, pairs)
		if err != nil {
			return 0, fmt.Errorf("news of %q: %w", ev["title"], err)
		}
		builders = append(builders, b.SetAuthorID(secretariat))
	}
	for _, d := range c.NewsDrafts {
		id, err := author(users, d.Author)
		if err != nil {
			return 0, err
		}
		builders = append(builders, client.NewsItem.Create().SetTitle(d.Title).SetSummary(d.Summary).SetBody(d.Body).SetAuthorID(id))
	}
	n := 0
	for _, b := range builders {
		title, _ := b.Mutation().Title()
		exists, err := client.NewsItem.Query().Where(newsitem.Title(title)).Exist(ctx)
		if err != nil {
			return n, err
		}
		if exists {
			continue
		}
		if err := b.Exec(ctx); err != nil {
			return n, fmt.Errorf("news %q: %w", title, err)
		}
		n++
	}
	return n, nil
}

// eventNews builds the published news item of an events.csv row.
func eventNews(client *ent.Client, res *importer.Resolver, ev record, pairs []importer.PairKey) (*ent.NewsItemCreate, error) {
	date, err := parseDate(ev["date"])
	if err != nil {
		return nil, err
	}
	when := ev["notes"]
	if date != nil {
		when = date.Format("2 January 2006")
	}
	place := ev["place"]
	summary := fmt.Sprintf("%s, %s, organised by %s.", when, place, ev["organiser"])
	body := fmt.Sprintf("**%s**\n\n%s\n\nSource: <%s>", ev["title"], summary, ev["source"])
	if date != nil && ev["notes"] != "" {
		body = fmt.Sprintf("**%s**\n\n%s (%s)\n\nSource: <%s>", ev["title"], summary, ev["notes"], ev["source"])
	}
	published := time.Date(2023, 12, 31, 12, 0, 0, 0, time.UTC)
	if date != nil {
		published = date.Add(12 * time.Hour)
	}
	b := client.NewsItem.Create().SetTitle(ev["title"]).SetSummary(summary).SetBody(body).
		SetStatus(newsitem.StatusPUBLISHED).SetPublishedAt(published)
	text := ev["title"] + " " + place
	for _, k := range pairs {
		ua, eu := strings.Contains(text, k.Ukrainian.Name), strings.Contains(text, k.European.Name)
		if p := res.Partnership(k); p != nil && ua && eu {
			b.AddPartnershipIDs(p.ID)
		}
		for _, side := range []struct {
			named bool
			key   importer.MunicipalityKey
		}{{ua, k.Ukrainian}, {eu, k.European}} {
			if m := res.Municipality(side.key); side.named && m != nil && !slices.Contains(b.Mutation().MunicipalitiesIDs(), m.ID) {
				b.AddMunicipalityIDs(m.ID)
			}
		}
	}
	return b, nil
}
