package seed

import (
	"context"
	"fmt"
	"strconv"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/phase"
)

// loadPublishedFigures records on each phase the figures the programme
// published (data/published_figures.csv), which programmeFigures shows
// beside the live ones. A figure published as "500+" is stored as 500.
func loadPublishedFigures(ctx context.Context, client *ent.Client) error {
	recs, err := readCSV("published_figures.csv")
	if err != nil {
		return err
	}
	byPhase := map[string]map[string]int{}
	for _, rec := range recs {
		n, err := strconv.Atoi(rec["value"])
		if err != nil {
			return fmt.Errorf("data/published_figures.csv: %s %s: %w", rec["phase"], rec["figure"], err)
		}
		if byPhase[rec["phase"]] == nil {
			byPhase[rec["phase"]] = map[string]int{}
		}
		byPhase[rec["phase"]][rec["figure"]] = n
	}
	for name, figures := range byPhase {
		n, err := client.Phase.Update().Where(phase.Name(name)).SetPublishedFigures(figures).Save(ctx)
		if err != nil {
			return fmt.Errorf("recording the published figures of phase %s: %w", name, err)
		}
		if n != 1 {
			return fmt.Errorf("data/published_figures.csv: no phase named %s", name)
		}
	}
	return nil
}
