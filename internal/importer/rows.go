package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"

	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/phase"
	"github.com/bridgesoftrust/hub/internal/iso3166"
)

// The columns of a partnerships file.
const (
	colPhase       = "phase"
	colUA          = "ua_municipality"
	colOblast      = "ua_oblast"
	colEU          = "eu_municipality"
	colCountry     = "eu_country"
	colAssociation = "association"
	colThemes      = "themes"
	colSource      = "source"
)

var (
	requiredColumns = []string{colPhase, colUA, colOblast, colEU, colCountry}
	optionalColumns = []string{colAssociation, colThemes, colSource}
)

// phasePattern is the shape of a phase name: a lower-case key such as
// "pilot", "recovery" or "community-hub".
var phasePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// row is one data row of a partnerships file, parsed and checked.
type row struct {
	line    int
	spec    PartnershipSpec
	oblast  string // canonical English oblast name, or "" when not given
	reasons []string
}

// fail records why the row is invalid.
func (rw *row) fail(format string, args ...any) {
	rw.reasons = append(rw.reasons, fmt.Sprintf(format, args...))
}

// header maps the column names of a file to their positions.
type header struct {
	index map[string]int
	width int
}

// readHeader reads and checks the header row.
func readHeader(cr *csv.Reader) (header, error) {
	names, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return header{}, errors.New("the file is empty: expected a header row naming the columns")
	}
	if err != nil {
		return header{}, fmt.Errorf("reading the header row: %w", err)
	}
	h := header{index: map[string]int{}, width: len(names)}
	for i, name := range names {
		if problem := cellProblem(strings.TrimPrefix(name, "\ufeff")); problem != "" {
			return header{}, fmt.Errorf("line 1: the name of column %d %s", i+1, problem)
		}
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if _, dup := h.index[name]; dup && name != "" {
			return header{}, fmt.Errorf("the header names column %q twice", name)
		}
		h.index[name] = i
	}
	var missing []string
	for _, col := range requiredColumns {
		if _, ok := h.index[col]; !ok {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		return header{}, fmt.Errorf("the header lacks required column(s) %s (required: %s; optional: %s)",
			strings.Join(missing, ", "), strings.Join(requiredColumns, ", "), strings.Join(optionalColumns, ", "))
	}
	return h, nil
}

// unknown lists the columns the importer does not read, in file order.
func (h header) unknown() []string {
	names := make([]string, h.width)
	for name, i := range h.index {
		names[i] = name
	}
	return slices.DeleteFunc(names, func(name string) bool {
		return slices.Contains(requiredColumns, name) || slices.Contains(optionalColumns, name)
	})
}

// name returns the name of the column at position i, or "column N" for
// one the header does not name.
func (h header) name(i int) string {
	for name, j := range h.index {
		if j == i && name != "" {
			return name
		}
	}
	return fmt.Sprintf("column %d", i+1)
}

// has reports whether the file has the column.
func (h header) has(col string) bool { _, ok := h.index[col]; return ok }

// get returns the trimmed value of col in rec, or "" when there is no
// such column.
func (h header) get(rec []string, col string) string {
	i, ok := h.index[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// readRows reads and checks every data row; it fails only when the file
// cannot be read or its header is wrong.
func readRows(r io.Reader, logger *slog.Logger) ([]*row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	h, err := readHeader(cr)
	if err != nil {
		return nil, err
	}
	for _, col := range h.unknown() {
		logger.Warn("ignoring unknown column", "column", col)
	}
	var rows []*row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		switch {
		case errors.As(err, &perr):
			rows = append(rows, &row{line: perr.StartLine, reasons: []string{"malformed CSV: " + perr.Err.Error()}})
			continue
		case err != nil:
			return nil, fmt.Errorf("reading rows: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, parseRow(h, rec, line))
		if len(rows)%progressEvery == 0 {
			logger.Info("progress", "what", "rows read", "done", len(rows))
		}
	}
	checkAcrossRows(rows)
	return rows, nil
}

// parseRow parses and checks one data row on its own.
func parseRow(h header, rec []string, line int) *row {
	rw := &row{line: line}
	if len(rec) != h.width {
		rw.fail("has %d field(s), the header has %d", len(rec), h.width)
		return rw
	}
	if !rw.checkCells(h, rec) {
		return rw
	}
	rw.spec.Phase = rw.phase(h.get(rec, colPhase))
	rw.spec.Ukrainian = MunicipalityKey{Ukraine, rw.name(colUA, h.get(rec, colUA))}
	rw.spec.European = MunicipalityKey{rw.euCountry(h.get(rec, colCountry)), rw.name(colEU, h.get(rec, colEU))}
	rw.oblast = rw.oblastName(h.get(rec, colOblast))
	rw.spec.Facilitators = rw.acronyms(h.get(rec, colAssociation))
	if h.has(colThemes) {
		themes := rw.themes(h.get(rec, colThemes))
		rw.spec.Themes = &themes
	}
	if h.has(colSource) {
		source := rw.source(h.get(rec, colSource))
		rw.spec.Source = &source
	}
	return rw
}

func (rw *row) phase(s string) string {
	name := strings.ToLower(s)
	switch {
	case name == "":
		rw.fail("phase is blank")
	case phase.NameValidator(name) != nil || !phasePattern.MatchString(name):
		rw.fail("phase %q is not a phase name (lower-case letters, digits and hyphens, e.g. \"pilot\" or \"community-hub\")", s)
	}
	return name
}

func (rw *row) name(col, s string) string {
	name := cleanName(s)
	if name == "" {
		rw.fail("%s is blank", col)
	} else if err := municipality.NameValidator(name); err != nil {
		rw.fail("%s %q: %v", col, name, err)
	}
	return name
}

func (rw *row) euCountry(s string) string {
	code := strings.ToUpper(s)
	switch {
	case code == "":
		rw.fail("%s is blank", colCountry)
	case iso3166.Validate(code) != nil:
		rw.fail("%s %q is not an ISO 3166-1 alpha-2 country code", colCountry, s)
	case !iso3166.IsEUMember(code):
		rw.fail("%s %q is not a member state of the EU", colCountry, code)
	}
	return code
}

func (rw *row) oblastName(s string) string {
	if cleanName(s) == "" {
		return ""
	}
	o, ok := FindOblast(s)
	if !ok {
		rw.fail("%s %q is not an oblast of Ukraine (e.g. \"Kharkiv\", \"Kyiv City\")", colOblast, s)
		return ""
	}
	return o.Name
}

func (rw *row) acronyms(s string) []string {
	list := splitList(s)
	for _, acronym := range list {
		if err := association.AcronymValidator(acronym); err != nil {
			rw.fail("%s %q: %v", colAssociation, acronym, err)
		}
	}
	return list
}

func (rw *row) themes(s string) []string {
	list := splitList(s)
	if err := partnership.ThemesValidator(list); err != nil {
		rw.fail("%s: %v", colThemes, err)
	}
	return list
}

func (rw *row) source(s string) string {
	if s != "" {
		if err := partnership.SourceValidator(s); err != nil {
			rw.fail("%s: %v", colSource, err)
		}
	}
	return s
}

// listSeparator separates the items of a list cell.
const listSeparator = ";"

// splitList splits a ";"-separated cell into its trimmed, non-empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, listSeparator) {
		if item = cleanName(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// checkAcrossRows marks rows that repeat an earlier row's pair or put an
// earlier row's Ukrainian municipality in another oblast.
func checkAcrossRows(rows []*row) {
	pairs := map[PairKey]int{}
	oblasts := map[string]*row{}
	for _, rw := range rows {
		if len(rw.reasons) > 0 {
			continue
		}
		if first, dup := pairs[rw.spec.Key()]; dup {
			rw.fail("repeats the pair %s of line %d", rw.spec.Key(), first)
		} else {
			pairs[rw.spec.Key()] = rw.line
		}
		name := rw.spec.Ukrainian.Name
		if first, seen := oblasts[name]; seen && rw.oblast != "" && first.oblast != rw.oblast {
			rw.fail("%s %q puts %s in another oblast than line %d (%q)", colOblast, rw.oblast, name, first.line, first.oblast)
		} else if !seen || first.oblast == "" {
			oblasts[name] = rw
		}
	}
}

// validRows returns the rows without reasons to refuse them.
func validRows(rows []*row) []*row {
	return slices.DeleteFunc(slices.Clone(rows), func(rw *row) bool { return len(rw.reasons) > 0 })
}

// badRows lists the invalid rows in file order.
func badRows(rows []*row) []BadRow {
	var out []BadRow
	for _, rw := range rows {
		if len(rw.reasons) > 0 {
			out = append(out, BadRow{Line: rw.line, Reasons: rw.reasons})
		}
	}
	return out
}
