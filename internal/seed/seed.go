// Package seed loads data into a Hub store: the real Bridges of Trust data
// set for demonstrations (Demo), and large synthetic data sets for load
// tests (Synthetic). Both find or create through the importer's Resolver,
// so they match existing rows by their natural keys.
package seed

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"log/slog"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/importer"
)

// data holds the real programme data and the details the demo adds to it
// (see data/README.md).
//
//go:embed data/*.csv data/*.txt data/*.json
var data embed.FS

// Demo loads the real Bridges of Trust data set in one transaction:
// Ukraine and the EU member states, Ukraine's oblasts, the programme
// phases, the associations, the municipalities and partnerships of
// data/partnerships.csv, the events of data/events.csv as activities and
// as published news, one demo account per role (see DemoAccounts; demo
// only, never in production: their password is published), and the
// community of data/community.json: a forum category of each visibility
// with topics and posts by the demo accounts, joint project concepts and a
// draft news item; and data/library.json: organisations (U-LEAD, GIZ) with
// illustrative initiatives and a published library document. Rows that exist already (by natural key, activities,
// topics, projects and news by title, categories by slug, accounts by
// e-mail address) are left as they are, so running it twice adds nothing.
func Demo(ctx context.Context, client *ent.Client) error {
	logger := slog.Default()
	return importer.WithTx(ctx, client, func(tx *ent.Client) error {
		res := importer.NewResolver(tx, logger)
		if err := loadReference(ctx, res); err != nil {
			return err
		}
		if err := loadPartnerships(ctx, res); err != nil {
			return err
		}
		if err := loadPublishedFigures(ctx, tx); err != nil {
			return err
		}
		n, err := loadEvents(ctx, res)
		if err != nil {
			return err
		}
		accounts, err := loadDemoAccounts(ctx, tx, logger)
		if err != nil {
			return err
		}
		c, err := loadCommunity(ctx, res)
		if err != nil {
			return err
		}
		users, err := demoUserIDs(ctx, tx)
		if err != nil {
			return err
		}
		lib, err := loadLibrary(ctx, tx, users)
		if err != nil {
			return err
		}
		t := res.Tally()
		logger.Info("demo data loaded", "countries", t.Countries.Total(), "regions", t.Regions.Total(),
			"municipalities", t.Municipalities.Total(), "associations", t.Associations.Total(),
			"partnerships", t.Partnerships.Total(), "partnerships_created", t.Partnerships.Created, "activities_created", n,
			"demo_accounts_created", accounts, "forum_categories_created", c.categories, "topics_created", c.topics,
			"posts_created", c.posts, "projects_created", c.projects, "news_items_created", c.news,
			"organisations_created", lib.organisations, "initiatives_created", lib.initiatives, "documents_created", lib.documents)
		return nil
	})
}

// DemoIfEmpty loads the demo data set (see Demo) when the store has no
// countries yet, and reports whether it did. `hub serve --demo` calls it
// before serving. When another process seeds the same store at the same
// time, the loser's transaction fails on a unique key and DemoIfEmpty
// reports false without an error.
func DemoIfEmpty(ctx context.Context, client *ent.Client) (bool, error) {
	exists, err := client.Country.Query().Exist(ctx)
	if err != nil || exists {
		return false, err
	}
	if err := Demo(ctx, client); err != nil {
		if ent.IsConstraintError(err) {
			if exists, _ := client.Country.Query().Exist(ctx); exists {
				return false, nil
			}
		}
		return false, err
	}
	return true, nil
}

// loadPartnerships imports data/partnerships.csv through the importer,
// describing its municipalities from data/municipalities.csv.
func loadPartnerships(ctx context.Context, res *importer.Resolver) error {
	details, err := municipalityDetails()
	if err != nil {
		return err
	}
	b, err := data.ReadFile("data/partnerships.csv")
	if err != nil {
		return err
	}
	// The reference data loaded first holds the phases and associations the
	// file names; stored partnerships are brought up to date.
	opts := importer.Options{Describe: details.describe, Update: true, CreateMissing: true}
	if _, err := importer.PartnershipsWith(ctx, res, bytes.NewReader(b), opts); err != nil {
		return fmt.Errorf("importing data/partnerships.csv: %w", err)
	}
	return nil
}

// record is a CSV row keyed by the header's column names.
type record map[string]string

// readCSV reads an embedded CSV file with a header row.
func readCSV(name string) ([]record, error) {
	b, err := data.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading data/%s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("data/%s is empty", name)
	}
	out := make([]record, 0, len(rows)-1)
	for _, row := range rows[1:] {
		rec := record{}
		for i, col := range rows[0] {
			rec[col] = row[i]
		}
		out = append(out, rec)
	}
	return out, nil
}
