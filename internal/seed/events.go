package seed

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/internal/importer"
)

// loadEvents creates the events of data/events.csv that are not stored yet
// (by title) as activities and returns how many it created. An event whose
// title names both towns of a partnership, such as "Chuhuiv study visit to
// Kuldīga", is linked to that partnership.
func loadEvents(ctx context.Context, res *importer.Resolver) (int, error) {
	recs, err := readCSV("events.csv")
	if err != nil {
		return 0, err
	}
	pairs, err := demoPairs()
	if err != nil {
		return 0, err
	}
	client := res.Client()
	titles := make([]string, len(recs))
	for i, rec := range recs {
		titles[i] = rec["title"]
	}
	stored, err := client.Activity.Query().Where(activity.TitleIn(titles...)).Select(activity.FieldTitle).Strings(ctx)
	if err != nil {
		return 0, err
	}
	var builders []*ent.ActivityCreate
	for _, rec := range recs {
		if slices.Contains(stored, rec["title"]) {
			continue
		}
		b, err := newActivity(client, res, rec, pairs)
		if err != nil {
			return 0, fmt.Errorf("data/events.csv: %q: %w", rec["title"], err)
		}
		builders = append(builders, b)
	}
	if _, err := client.Activity.CreateBulk(builders...).Save(ctx); err != nil {
		return 0, fmt.Errorf("creating activities: %w", err)
	}
	return len(builders), nil
}

// newActivity builds the activity of an events.csv row. Undated events get
// their notes (e.g. "autumn 2023") as the date note.
func newActivity(client *ent.Client, res *importer.Resolver, rec record, pairs []importer.PairKey) (*ent.ActivityCreate, error) {
	kind := activity.Kind(strings.ToUpper(rec["kind"]))
	if err := activity.KindValidator(kind); err != nil {
		return nil, err
	}
	date, err := parseDate(rec["date"])
	if err != nil {
		return nil, err
	}
	b := client.Activity.Create().SetTitle(rec["title"]).SetKind(kind).SetNillableStartDate(date)
	switch {
	case date != nil && rec["notes"] != "":
		b.SetNotes(rec["notes"])
	case date == nil && rec["notes"] != "":
		b.SetDateNote(rec["notes"])
	case date == nil:
		b.SetDateNote("date not published")
	}
	if strings.EqualFold(rec["place"], "online") {
		b.SetOnline(true)
	} else if rec["place"] != "" {
		b.SetPlace(rec["place"])
	}
	if rec["source"] != "" {
		b.SetSource(rec["source"])
	}
	if acronym := rec["organiser"]; acronym != "" {
		a := res.Association(acronym)
		if a == nil {
			return nil, fmt.Errorf("organiser %q is not in data/associations.csv", acronym)
		}
		b.SetOrganiserID(a.ID)
	}
	for _, k := range pairs {
		if strings.Contains(rec["title"], k.Ukrainian.Name) && strings.Contains(rec["title"], k.European.Name) {
			if p := res.Partnership(k); p != nil {
				b.AddPartnershipIDs(p.ID)
			}
		}
	}
	return b, nil
}

// demoPairs lists the partnership pairs of data/partnerships.csv.
func demoPairs() ([]importer.PairKey, error) {
	recs, err := readCSV("partnerships.csv")
	if err != nil {
		return nil, err
	}
	pairs := make([]importer.PairKey, len(recs))
	for i, rec := range recs {
		pairs[i] = importer.PairKey{
			Ukrainian: importer.MunicipalityKey{Country: importer.Ukraine, Name: rec["ua_municipality"]},
			European:  importer.MunicipalityKey{Country: rec["eu_country"], Name: rec["eu_municipality"]},
		}
	}
	return pairs, nil
}
