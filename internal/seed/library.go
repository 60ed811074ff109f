package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/document"
	"github.com/bridgesoftrust/hub/ent/initiative"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/organisation"
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/sector"
)

// libraryData is data/library.json: organisations beyond the associations
// with illustrative initiatives in demo municipalities, and a published
// library document (without files); see data/README.md.
type libraryData struct {
	Organisations []struct {
		Name, Acronym, Kind, Website, Description, Country string
		NameUK                                             string `json:"name_uk"`
	}
	Initiatives []struct {
		Organisation, Title, Description string
		Sectors                          []sector.Sector
		Municipalities                   [][2]string
		StartsOn                         string  `json:"starts_on"`
		EndsOn                           string  `json:"ends_on"`
		FundingEUR                       float64 `json:"funding_eur"`
	}
	Documents []struct {
		Kind, Sector, Visibility, Language, Title, Summary string
		TitleUK                                            string `json:"title_uk"`
		Municipalities                                     [][2]string
	}
}

// libraryCounts says how many rows loadLibrary created.
type libraryCounts struct{ organisations, initiatives, documents int }

// loadLibrary creates what data/library.json describes (organisations by
// acronym, initiatives and documents by title); the municipalities and the
// demo accounts must have been loaded. The document's author is the demo
// secretariat.
func loadLibrary(ctx context.Context, client *ent.Client, users map[string]int) (libraryCounts, error) {
	var (
		d   libraryData
		out libraryCounts
	)
	b, err := data.ReadFile("data/library.json")
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return out, fmt.Errorf("data/library.json: %w", err)
	}
	orgs, err := d.loadOrganisations(ctx, client, &out)
	if err == nil {
		err = d.loadInitiatives(ctx, client, orgs, &out)
	}
	if err == nil {
		err = d.loadDocuments(ctx, client, users, &out)
	}
	if err != nil {
		return out, fmt.Errorf("data/library.json: %w", err)
	}
	return out, nil
}

func (d *libraryData) loadOrganisations(ctx context.Context, client *ent.Client, out *libraryCounts) (map[string]int, error) {
	ids := map[string]int{}
	for _, o := range d.Organisations {
		id, err := client.Organisation.Query().Where(organisation.Acronym(o.Acronym)).OnlyID(ctx)
		if ent.IsNotFound(err) {
			id, err = createOrganisation(ctx, client, o.Name, o.NameUK, o.Acronym, o.Kind, o.Website, o.Description, o.Country)
			out.organisations++
		}
		if err != nil {
			return nil, fmt.Errorf("organisation %s: %w", o.Acronym, err)
		}
		ids[o.Acronym] = id
	}
	return ids, nil
}

// createOrganisation creates an organisation based in the country of
// code countryCode ("": none) and returns its id.
func createOrganisation(ctx context.Context, client *ent.Client, name, nameUK, acronym, kind, website, description, countryCode string) (int, error) {
	c := client.Organisation.Create().SetName(name).SetAcronym(acronym).SetKind(organisation.Kind(kind)).
		SetWebsite(website).SetDescription(description)
	if nameUK != "" {
		c.SetNameTranslations(i18n.Texts{"uk": nameUK})
	}
	if countryCode != "" {
		cid, err := client.Country.Query().Where(country.Code(countryCode)).OnlyID(ctx)
		if err != nil {
			return 0, fmt.Errorf("country %s: %w", countryCode, err)
		}
		c.SetCountryID(cid)
	}
	o, err := c.Save(ctx)
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}

func (d *libraryData) loadInitiatives(ctx context.Context, client *ent.Client, orgs map[string]int, out *libraryCounts) error {
	for _, in := range d.Initiatives {
		exists, err := client.Initiative.Query().Where(initiative.Title(in.Title)).Exist(ctx)
		if err != nil {
			return err
		}
		if exists {
			continue
		}
		places, err := placeIDs(ctx, client, in.Municipalities)
		if err != nil {
			return fmt.Errorf("initiative %q: %w", in.Title, err)
		}
		c := client.Initiative.Create().SetOrganisationID(orgs[in.Organisation]).SetTitle(in.Title).
			SetDescription(in.Description).SetSectors(in.Sectors).AddMunicipalityIDs(places...).SetFundingEur(in.FundingEUR)
		if t, ok := day(in.StartsOn); ok {
			c.SetStartsOn(t)
		}
		if t, ok := day(in.EndsOn); ok {
			c.SetEndsOn(t)
		}
		if err := c.Exec(ctx); err != nil {
			return fmt.Errorf("initiative %q: %w", in.Title, err)
		}
		out.initiatives++
	}
	return nil
}

func (d *libraryData) loadDocuments(ctx context.Context, client *ent.Client, users map[string]int, out *libraryCounts) error {
	secretariat, err := author(users, "secretariat@demo.bridgesoftrust.invalid")
	if err != nil {
		return err
	}
	for _, doc := range d.Documents {
		exists, err := client.Document.Query().Where(document.Title(doc.Title)).Exist(ctx)
		if err != nil {
			return err
		}
		if exists {
			continue
		}
		places, err := placeIDs(ctx, client, doc.Municipalities)
		if err != nil {
			return fmt.Errorf("document %q: %w", doc.Title, err)
		}
		err = client.Document.Create().SetKind(document.Kind(doc.Kind)).SetSector(sector.Sector(doc.Sector)).
			SetVisibility(document.Visibility(doc.Visibility)).SetLanguage(doc.Language).SetTitle(doc.Title).
			SetTitleTranslations(i18n.Texts{"uk": doc.TitleUK}).SetSummary(doc.Summary).AddMunicipalityIDs(places...).
			SetAuthorID(secretariat).SetStatus(document.StatusPUBLISHED).SetPublishedAt(time.Now()).Exec(ctx)
		if err != nil {
			return fmt.Errorf("document %q: %w", doc.Title, err)
		}
		out.documents++
	}
	return nil
}

// placeIDs returns the ids of municipalities named by country code and
// English name.
func placeIDs(ctx context.Context, client *ent.Client, places [][2]string) ([]int, error) {
	ids := make([]int, len(places))
	for i, p := range places {
		id, err := client.Municipality.Query().
			Where(municipality.Name(p[1]), municipality.HasCountryWith(country.Code(p[0]))).OnlyID(ctx)
		if err != nil {
			return nil, fmt.Errorf("municipality %s (%s): %w", p[1], p[0], err)
		}
		ids[i] = id
	}
	return ids, nil
}

// day parses a date such as 2024-01-01; "" is no date.
func day(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
