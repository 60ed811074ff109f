package seed

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/importer"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
)

// SyntheticOptions sizes a synthetic data set. Zero sizes take the
// defaults: 2,000 municipalities, 4,000 partnerships, 3,000 projects and
// 1,000 activities; the forum stays empty unless Topics is set.
type SyntheticOptions struct {
	Municipalities, Partnerships, Projects, Activities int
	// Topics and PostsPerTopic size a forum in a public category of its own
	// (SyntheticForumSlug): each topic opens with the first of its posts.
	Topics, PostsPerTopic int
	// Seed picks the data set: the same seed and sizes give the same names,
	// pairs and values every time.
	Seed uint64
	// Logger receives progress; nil logs to slog.Default().
	Logger *slog.Logger
}

// The default sizes of a synthetic data set.
const (
	DefaultMunicipalities = 2000
	DefaultPartnerships   = 4000
	DefaultProjects       = 3000
	DefaultActivities     = 1000
)

// withDefaults fills in the zero sizes and the logger.
func (o SyntheticOptions) withDefaults() SyntheticOptions {
	defaults := []struct {
		v   *int
		def int
	}{{&o.Municipalities, DefaultMunicipalities}, {&o.Partnerships, DefaultPartnerships},
		{&o.Projects, DefaultProjects}, {&o.Activities, DefaultActivities}}
	for _, d := range defaults {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// hubPhase is the programme's next phase, which synthetic partnerships
// also belong to. Its dates are assumed, not published.
var hubPhase = importer.PhaseSpec{
	Name: "community-hub", Title: "European Coordination Hub and Bridges of Trust Community",
	Start: date(2024, 1, 1),
	Description: i18n.Texts{
		i18n.English:   "Next phase: a European Coordination Hub Secretariat grows and animates the Bridges of Trust Community.",
		i18n.Ukrainian: "Наступна фаза: Секретаріат Європейського координаційного хабу розвиває спільноту «Мости довіри».",
	},
}

// Synthetic loads a synthetic data set in one transaction on top of the
// reference data (countries, oblasts, phases, associations): invented EU
// regions, municipalities (about a third of them Ukrainian hromadas in
// the oblasts, the rest across the EU countries), partnerships between
// unique pairs, their projects and activities. It is meant for load tests
// and handles 100,000 municipalities and 200,000 partnerships. Regions,
// municipalities and partnerships are matched by natural key, so running
// it again with the same seed adds only the projects and activities again.
func Synthetic(ctx context.Context, client *ent.Client, opts SyntheticOptions) error {
	opts = opts.withDefaults()
	lrgas, err := lrgaByCountry()
	if err != nil {
		return err
	}
	started := time.Now()
	p, err := newPlan(opts, lrgas)
	if err != nil {
		return err
	}
	opts.Logger.Info("synthetic data planned", "seed", opts.Seed, "municipalities", len(p.municipalities),
		"partnerships", len(p.partnerships), "projects", len(p.projects), "activities", len(p.activities),
		"topics", len(p.forum.topics),
		"took", time.Since(started).Round(time.Millisecond))
	err = importer.WithTx(ctx, client, func(tx *ent.Client) error {
		// One raise of the matchmaking version for the whole load.
		if err := p.load(matchmaking.WithoutVersionBump(ctx), importer.NewResolver(tx, opts.Logger)); err != nil {
			return err
		}
		return tx.MatchState.Update().AddVersion(1).Exec(ctx)
	})
	if err == nil {
		opts.Logger.Info("synthetic data loaded", "took", time.Since(started).Round(time.Millisecond))
	}
	return err
}

// load writes the plan through res.
func (p *plan) load(ctx context.Context, res *importer.Resolver) error {
	steps := []func() error{
		func() error { return loadReference(ctx, res) },
		func() error { return res.EnsurePhases(ctx, hubPhase) },
		func() error { return res.EnsureRegions(ctx, p.regions...) },
		func() error { return res.EnsureMunicipalities(ctx, p.municipalities) },
		func() error { return res.EnsurePartnerships(ctx, p.partnerships) },
		func() error { return p.createProjects(ctx, res) },
		func() error { return p.createActivities(ctx, res) },
		func() error { return p.createMatchRecords(ctx, res, p.seed) },
		func() error { return p.createForum(ctx, res) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// createProjects creates the planned projects in batches.
func (p *plan) createProjects(ctx context.Context, res *importer.Resolver) error {
	client := res.Client()
	return importer.InBatches(ctx, p.logger, "projects", p.projects, len(project.Columns),
		func(ctx context.Context, chunk []projectPlan) error {
			builders := make([]*ent.ProjectCreate, len(chunk))
			for i, pp := range chunk {
				b := client.Project.Create().SetTitle(pp.title).SetSummary(pp.summary).SetSector(pp.sector).
					SetStatus(pp.status).SetNillableBudgetEur(pp.budget).
					SetPartnershipID(res.Partnership(pp.pair).ID).
					SetLeadMunicipalityID(res.Municipality(pp.lead).ID)
				for _, acronym := range pp.funders {
					b.AddFunderIDs(res.Association(acronym).ID)
				}
				builders[i] = b
			}
			return client.Project.CreateBulk(builders...).Exec(ctx)
		})
}

// createActivities creates the planned activities in batches.
func (p *plan) createActivities(ctx context.Context, res *importer.Resolver) error {
	client := res.Client()
	return importer.InBatches(ctx, p.logger, "activities", p.activities, len(activity.Columns),
		func(ctx context.Context, chunk []activityPlan) error {
			builders := make([]*ent.ActivityCreate, len(chunk))
			for i, ap := range chunk {
				b := client.Activity.Create().SetTitle(ap.title).SetKind(ap.kind).
					SetStartDate(ap.start).SetNillableEndDate(ap.end).SetOnline(ap.online).
					SetParticipantCount(ap.participants).SetOrganiserID(res.Association(ap.organiser).ID)
				setIfNotEmpty(ap.place, b.SetPlace)
				for _, k := range ap.pairs {
					b.AddPartnershipIDs(res.Partnership(k).ID)
				}
				builders[i] = b
			}
			return client.Activity.CreateBulk(builders...).Exec(ctx)
		})
}

func setIfNotEmpty[B any](s string, set func(string) B) {
	if s != "" {
		set(s)
	}
}

// lrgaByCountry maps country codes to the acronym of their national
// association in data/associations.csv.
func lrgaByCountry() (map[string]string, error) {
	specs, err := associationSpecs()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, s := range specs {
		if s.Country != "" {
			out[s.Country] = s.Acronym
		}
	}
	return out, nil
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// validate refuses sizes the generator cannot meet.
func (o SyntheticOptions) validate() error {
	switch {
	case o.Municipalities < 2 || o.Partnerships < 0 || o.Projects < 0 || o.Activities < 0:
		return fmt.Errorf("synthetic sizes must be positive, with at least 2 municipalities")
	case o.Partnerships == 0 && (o.Projects > 0 || o.Activities > 0):
		return fmt.Errorf("projects and activities need partnerships")
	case o.Topics < 0 || o.PostsPerTopic < 0:
		return fmt.Errorf("forum sizes must not be negative")
	case o.Topics > 0 && o.PostsPerTopic == 0:
		return fmt.Errorf("each forum topic needs at least one post (its opening)")
	}
	ua, eu := splitMunicipalities(o.Municipalities)
	if o.Partnerships > ua*eu/2 {
		return fmt.Errorf("%d partnerships are too many for %d municipalities (%d Ukrainian, %d EU): at most %d",
			o.Partnerships, o.Municipalities, ua, eu, ua*eu/2)
	}
	return nil
}

// splitMunicipalities divides n municipalities into Ukrainian and EU ones.
func splitMunicipalities(n int) (ua, eu int) {
	ua = max(1, n*35/100)
	return ua, n - ua
}
