package analytics_test

import (
	"context"
	"testing"

	"github.com/bridgesoftrust/hub/internal/analytics"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/seed"
)

// TestEveryGrouping runs each grouping of each aggregate on the demo data
// (the API tests in graph/apitest compare the answers with the lists).
func TestEveryGrouping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ctx := authz.SystemContext(context.Background())
		if err := seed.Demo(ctx, store.Client); err != nil {
			t.Fatal(err)
		}
		c := store.Client
		for _, g := range []string{"EU_COUNTRY", "UA_COUNTRY", "UA_REGION", "PHASE", "STATUS", "START_YEAR", "THEME", "FACILITATOR"} {
			if _, err := analytics.PartnershipStats(ctx, c, nil, []string{g}); err != nil {
				t.Errorf("partnerships by %s: %v", g, err)
			}
		}
		for _, g := range []string{"STATUS", "SECTOR", "PHASE", "YEAR"} {
			if _, err := analytics.ProjectStats(ctx, c, nil, []string{g}); err != nil {
				t.Errorf("projects by %s: %v", g, err)
			}
		}
		for _, g := range []string{"KIND", "YEAR", "ORGANISER"} {
			if _, err := analytics.ActivityStats(ctx, c, nil, []string{g}); err != nil {
				t.Errorf("activities by %s: %v", g, err)
			}
		}
		for _, g := range []string{"COUNTRY", "REGION", "KIND"} {
			if _, err := analytics.MunicipalityStats(ctx, c, nil, []string{g}); err != nil {
				t.Errorf("municipalities by %s: %v", g, err)
			}
		}
		for _, g := range []string{"MONTH", "CATEGORY", "TOPIC"} {
			if _, err := analytics.ForumStats(ctx, c, nil, []string{g}); err != nil {
				t.Errorf("forum posts by %s: %v", g, err)
			}
		}
		for _, g := range []string{"MONTH", "STATUS", "LANGUAGE", "PARTNERSHIP"} {
			if _, err := analytics.NewsStats(ctx, c, nil, []string{g}); err != nil {
				t.Errorf("news by %s: %v", g, err)
			}
		}
		if _, err := analytics.ProgrammeFigures(ctx, c, nil); err != nil {
			t.Errorf("programme figures: %v", err)
		}
	})
}
