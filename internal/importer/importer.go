// Package importer imports the Hub's spreadsheets (CSV files) into the
// store, and holds the find-or-create code the imports and the seeds
// share: a Resolver matches rows by their natural keys (country code,
// region name within country, municipality name within country, phase
// name, association acronym, partnership pair) and creates the missing
// ones in batches, so importing the same file twice changes nothing.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/audit"
)

// Options tune an import.
type Options struct {
	// SkipInvalid imports the valid rows and reports the invalid ones;
	// without it a file with any invalid row imports nothing.
	SkipInvalid bool
	// Logger receives progress; nil logs to slog.Default().
	Logger *slog.Logger
	// Describe, when set, completes the description of each municipality
	// the import names (translations, coordinates...). It matters only for
	// municipalities the import creates.
	Describe func(*MunicipalitySpec)
	// Update applies the changes rows ask of stored partnerships (phase,
	// source, themes, facilitators); without it each is a conflict and a
	// file with conflicts imports nothing (with SkipInvalid, the
	// conflicting rows are left out).
	Update bool
	// CreateMissing creates the phases and associations the store lacks,
	// and new municipalities one edit away from a stored one; without it
	// the rows naming them are invalid.
	CreateMissing bool
	// DryRun does everything but commit: the report says what the import
	// would do, and nothing is written.
	DryRun bool
	// Source labels the import's entries in the audit log, with the line
	// of each change, e.g. "hub import partnerships file.csv".
	Source string
}

// Tally has the counts of what happened to each entity type.
type Tally struct {
	Countries, Regions, Municipalities, Phases, Associations, Partnerships Counts
}

// Report says what an import did.
type Report struct {
	// Tally counts the distinct entities the valid rows named.
	Tally
	// Rows is the number of data rows read (the header not counted).
	Rows int
	// Skipped is the number of invalid rows left out (with SkipInvalid).
	Skipped int
	// BadRows lists the invalid rows in file order.
	BadRows []BadRow
	// Matches lists the names that named stored entries other than
	// exactly (another case, other diacritics, a translation).
	Matches []Match
	// Warnings lists near misses that CreateMissing created anyway.
	Warnings []string
	// Changes lists the creations and updates, with their lines.
	Changes []Change
	// Conflicts lists the changes to stored partnerships that were not
	// made (without Update, with SkipInvalid).
	Conflicts []Change
	// DryRun says that nothing was written.
	DryRun bool
}

// BadRow is an invalid row of an imported file.
type BadRow struct {
	// Line is the row's line number in the file; the header is line 1.
	Line int
	// Reasons says everything that is wrong with the row.
	Reasons []string
}

// String writes the row as "line 4: reason; other reason".
func (b BadRow) String() string {
	return fmt.Sprintf("line %d: %s", b.Line, strings.Join(b.Reasons, "; "))
}

// InvalidRowsError is returned, and nothing imported, when rows are
// invalid and Options.SkipInvalid is not set.
type InvalidRowsError struct {
	// Rows lists every invalid row in file order.
	Rows []BadRow
}

// Error lists every invalid row, one a line.
func (e *InvalidRowsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d invalid row(s), nothing imported:", len(e.Rows))
	for _, row := range e.Rows {
		b.WriteString("\n  ")
		b.WriteString(row.String())
	}
	return b.String()
}

// Partnerships imports a partnerships CSV file (the columns of the
// programme's partnerships spreadsheet) in one transaction.
//
// The header names the columns, in any order: phase, ua_municipality,
// ua_oblast, eu_municipality and eu_country are required; association
// (acronyms separated by ";"), themes (separated by ";") and source are
// optional.
//
// Names match stored entries ignoring case and diacritics, and by their
// translations (municipalities also by local name, associations by name).
// Missing countries, oblasts and municipalities are created. Phases and
// associations the store lacks, and new municipalities one edit away from
// a stored one ("did you mean"), make their rows invalid unless
// opts.CreateMissing. A stored partnership (the same two municipalities)
// whose phase, source, themes or facilitators the row would change is a
// conflict unless opts.Update. Every change is listed in the report with
// its line, and recorded in the audit log labelled with opts.Source and
// the line.
//
// A row is refused, with its line, when a cell is not UTF-8, holds a
// control character, is longer than 4,000 bytes or starts (or has a
// ";"-separated item that starts) with =, +, -, @, a tab or a carriage
// return, which spreadsheets run as a formula; and when a value is over
// its field's maximum length in the schema.
func Partnerships(ctx context.Context, client *ent.Client, r io.Reader, opts Options) (Report, error) {
	var rep Report
	err := WithTx(ctx, client, func(tx *ent.Client) error {
		var err error
		rep, err = PartnershipsWith(ctx, NewResolver(tx, opts.Logger), r, opts)
		if err == nil && opts.DryRun {
			return errDryRun
		}
		return err
	})
	if errors.Is(err, errDryRun) {
		rep.DryRun = true
		return rep, nil
	}
	return rep, err
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// PartnershipsWith imports a partnerships CSV file through res, within
// whatever transaction res's client is in. The report's counts are those
// res has tallied, this import's and any earlier work's.
func PartnershipsWith(ctx context.Context, res *Resolver, r io.Reader, opts Options) (Report, error) {
	rows, err := readRows(r, res.logger)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Rows: len(rows)}
	res.keepPartnerships = !opts.Update
	res.origins.source = opts.Source
	ctx = audit.WithLabeler(ctx, res.origins.label)
	if rep.Matches, rep.Warnings, err = res.matchNames(ctx, validRows(rows), opts.CreateMissing); err != nil {
		return rep, err
	}
	checkAcrossRows(rows) // again, now that names are the stored ones
	if err := checkAgainstStore(ctx, res, validRows(rows)); err != nil {
		return rep, err
	}
	rep.BadRows = badRows(rows)
	if len(rep.BadRows) > 0 && !opts.SkipInvalid {
		return rep, &InvalidRowsError{Rows: rep.BadRows}
	}
	rep.Skipped = len(rep.BadRows)
	good := validRows(rows)
	res.logger.Info("importing partnerships", "rows", len(rows), "valid", len(good), "skipped", rep.Skipped)
	nameOrigins(res.origins, good)
	if err := apply(ctx, res, good, opts.Describe); err != nil {
		return rep, err
	}
	rep.Tally = res.Tally()
	for _, c := range res.Changes() {
		if c.Op == OpConflict {
			rep.Conflicts = append(rep.Conflicts, c)
		} else {
			rep.Changes = append(rep.Changes, c)
		}
	}
	if len(rep.Conflicts) > 0 && !opts.SkipInvalid {
		return rep, &ConflictsError{Conflicts: rep.Conflicts}
	}
	return rep, nil
}

// nameOrigins records the first line that names each entity of the rows.
func nameOrigins(o *origins, rows []*row) {
	for _, rw := range rows {
		s := rw.spec
		o.name("country", Ukraine, rw.line)
		o.name("country", s.European.Country, rw.line)
		if rw.oblast != "" {
			o.name("region", RegionKey{Ukraine, rw.oblast}, rw.line)
		}
		o.name("municipality", s.Ukrainian, rw.line)
		o.name("municipality", s.European, rw.line)
		o.name("phase", s.Phase, rw.line)
		for _, a := range s.Facilitators {
			o.name("association", a, rw.line)
		}
		o.name("partnership", s.Key(), rw.line)
	}
}

// needs lists what the valid rows of a file name, as specs to find or
// create.
type needs struct {
	regions        []RegionSpec
	municipalities []MunicipalitySpec
	phases         []PhaseSpec
	associations   []AssociationSpec
	partnerships   []PartnershipSpec
}

// needsOf collects the specs of rows; describe, if set, completes each
// municipality's.
func needsOf(rows []*row, describe func(*MunicipalitySpec)) needs {
	var n needs
	for _, rw := range rows {
		if o, ok := FindOblast(rw.oblast); ok {
			n.regions = append(n.regions, o.Spec())
		}
		n.municipalities = append(n.municipalities,
			MunicipalitySpec{Country: Ukraine, Name: rw.spec.Ukrainian.Name, Region: rw.oblast},
			MunicipalitySpec{Country: rw.spec.European.Country, Name: rw.spec.European.Name})
		n.phases = append(n.phases, PhaseSpec{Name: rw.spec.Phase, Title: titleOf(rw.spec.Phase)})
		for _, acronym := range rw.spec.Facilitators {
			n.associations = append(n.associations, AssociationSpec{Acronym: acronym})
		}
		n.partnerships = append(n.partnerships, rw.spec)
	}
	if describe != nil {
		for i := range n.municipalities {
			describe(&n.municipalities[i])
		}
	}
	return n
}

// titleOf makes a title of a phase name for a phase an import creates:
// "community-hub" gives "Community hub". The secretariat can set a better
// one with updatePhase.
func titleOf(name string) string {
	t := strings.ReplaceAll(name, "-", " ")
	if t == "" {
		return t
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// apply finds or creates everything the valid rows name, dependencies
// first.
func apply(ctx context.Context, res *Resolver, rows []*row, describe func(*MunicipalitySpec)) error {
	n := needsOf(rows, describe)
	codes := countriesOf(n.municipalities, func(s MunicipalitySpec) string { return s.Country })
	steps := []func() error{
		func() error { return res.EnsureCountries(ctx, codes...) },
		func() error { return res.EnsureRegions(ctx, n.regions...) },
		func() error { return res.EnsureMunicipalities(ctx, n.municipalities) },
		func() error { return res.EnsurePhases(ctx, n.phases...) },
		func() error { return res.EnsureAssociations(ctx, n.associations...) },
		func() error { return res.EnsurePartnerships(ctx, n.partnerships) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// checkAgainstStore marks rows that contradict the store: a Ukrainian
// municipality stored in another oblast than the row says.
func checkAgainstStore(ctx context.Context, res *Resolver, rows []*row) error {
	if err := res.countries.load(ctx, []string{Ukraine}, res.findCountries, countryCode); err != nil {
		return err
	}
	keys := make([]MunicipalityKey, 0, len(rows))
	for _, rw := range rows {
		keys = append(keys, rw.spec.Ukrainian)
	}
	if err := res.LoadMunicipalities(ctx, keys); err != nil {
		return err
	}
	for _, rw := range rows {
		m := res.Municipality(rw.spec.Ukrainian)
		if m == nil || rw.oblast == "" || m.Edges.Region == nil || m.Edges.Region.Name == rw.oblast {
			continue
		}
		rw.fail("ua_municipality %q is stored in %s oblast, not in %s", m.Name, m.Edges.Region.Name, rw.oblast)
	}
	return nil
}
