package seed

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/internal/i18n"
	"github.com/bridgesoftrust/hub/internal/importer"
)

// loadReference finds or creates the reference data both seeds build on:
// Ukraine and the EU member states, Ukraine's oblasts (data/oblasts.txt),
// the phases (data/phases.csv) and the associations (data/associations.csv).
func loadReference(ctx context.Context, res *importer.Resolver) error {
	if err := res.EnsureCountries(ctx, importer.KnownCountries()...); err != nil {
		return err
	}
	oblasts, err := oblastSpecs()
	if err != nil {
		return err
	}
	if err := res.EnsureRegions(ctx, oblasts...); err != nil {
		return err
	}
	phases, err := phaseSpecs()
	if err != nil {
		return err
	}
	if err := res.EnsurePhases(ctx, phases...); err != nil {
		return err
	}
	associations, err := associationSpecs()
	if err != nil {
		return err
	}
	return res.EnsureAssociations(ctx, associations...)
}

// oblastSpecs reads data/oblasts.txt, one English name a line.
func oblastSpecs() ([]importer.RegionSpec, error) {
	b, err := data.ReadFile("data/oblasts.txt")
	if err != nil {
		return nil, err
	}
	var specs []importer.RegionSpec
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name := strings.TrimSpace(sc.Text())
		if name == "" {
			continue
		}
		o, ok := importer.FindOblast(name)
		if !ok {
			return nil, fmt.Errorf("data/oblasts.txt: %q is not an oblast the importer knows", name)
		}
		specs = append(specs, o.Spec())
	}
	return specs, sc.Err()
}

// phaseSpecs reads data/phases.csv.
func phaseSpecs() ([]importer.PhaseSpec, error) {
	recs, err := readCSV("phases.csv")
	if err != nil {
		return nil, err
	}
	specs := make([]importer.PhaseSpec, 0, len(recs))
	for _, rec := range recs {
		start, err := parseDate(rec["start_date"])
		if err != nil {
			return nil, fmt.Errorf("data/phases.csv: %w", err)
		}
		end, err := parseDate(rec["end_date"])
		if err != nil {
			return nil, fmt.Errorf("data/phases.csv: %w", err)
		}
		specs = append(specs, importer.PhaseSpec{
			Name: rec["name"], Title: rec["title"], Start: start, End: end,
			Description: i18n.Texts{i18n.English: rec["description_en"], i18n.Ukrainian: rec["description_uk"]},
		})
	}
	return specs, nil
}

// associationSpecs reads data/associations.csv; its kinds are the
// schema's in lower case (lrga, european_network, donor).
func associationSpecs() ([]importer.AssociationSpec, error) {
	recs, err := readCSV("associations.csv")
	if err != nil {
		return nil, err
	}
	specs := make([]importer.AssociationSpec, 0, len(recs))
	for _, rec := range recs {
		kind := association.Kind(strings.ToUpper(rec["kind"]))
		if err := association.KindValidator(kind); err != nil {
			return nil, fmt.Errorf("data/associations.csv: %s: %w", rec["acronym"], err)
		}
		specs = append(specs, importer.AssociationSpec{
			Acronym: rec["acronym"], Name: rec["name"], Kind: kind, Country: rec["country"],
		})
	}
	return specs, nil
}

// details describes municipalities by their natural key.
type details map[importer.MunicipalityKey]importer.MunicipalitySpec

// municipalityDetails reads data/municipalities.csv.
func municipalityDetails() (details, error) {
	recs, err := readCSV("municipalities.csv")
	if err != nil {
		return nil, err
	}
	out := details{}
	for _, rec := range recs {
		s := importer.MunicipalitySpec{Country: rec["country"], Name: rec["name"], LocalName: rec["local_name"]}
		if uk := rec["name_uk"]; uk != "" {
			s.Translations = i18n.Texts{i18n.Ukrainian: uk}
		}
		if kind := municipality.Kind(rec["kind"]); kind != "" {
			if err := municipality.KindValidator(kind); err != nil {
				return nil, fmt.Errorf("data/municipalities.csv: %s: %w", s.Name, err)
			}
			s.Kind = kind
		}
		if s.Latitude, err = parseCoordinate(rec["latitude"]); err != nil {
			return nil, fmt.Errorf("data/municipalities.csv: %s: %w", s.Name, err)
		}
		if s.Longitude, err = parseCoordinate(rec["longitude"]); err != nil {
			return nil, fmt.Errorf("data/municipalities.csv: %s: %w", s.Name, err)
		}
		out[s.Key()] = s
	}
	return out, nil
}

// describe completes s with the details known for it.
func (d details) describe(s *importer.MunicipalitySpec) {
	known, ok := d[s.Key()]
	if !ok {
		return
	}
	s.LocalName, s.Translations, s.Latitude, s.Longitude = known.LocalName, known.Translations, known.Latitude, known.Longitude
	if known.Kind != "" {
		s.Kind = known.Kind
	}
}

// parseDate parses an optional YYYY-MM-DD date.
func parseDate(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return &t, nil
}

// parseCoordinate parses an optional decimal degree.
func parseCoordinate(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("coordinate %q: %w", s, err)
	}
	return &f, nil
}
