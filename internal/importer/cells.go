package importer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxCellBytes bounds a cell of an imported file. The longest value a
// cell holds is a source address (at most 1,000 bytes) or a list of
// themes or acronyms; each value is then checked against its field's own
// maximum length in the schema.
const maxCellBytes = 4000

// formulaStarts are the characters with which a spreadsheet cell is read
// as a formula (OWASP, "CSV Injection"): a stored name such as
// =HYPERLINK("http://evil", "Kyiv") would run in the spreadsheet of
// whoever exports it again.
const formulaStarts = "=+-@\t\r"

// cellProblem says what makes a cell unacceptable in any column, or "".
//
// The importer refuses such cells with their line rather than storing
// them escaped (OWASP's other option, a leading apostrophe): the values
// are names that rows are matched by, and an escaped name would match
// nothing and show the apostrophe everywhere the Hub shows the name.
func cellProblem(cell string) string {
	switch {
	case len(cell) > maxCellBytes:
		return fmt.Sprintf("is %d bytes long; at most %d are allowed", len(cell), maxCellBytes)
	case !utf8.ValidString(cell):
		return "is not UTF-8 text (save the file as CSV UTF-8)"
	case strings.ContainsFunc(cell, isForbiddenControl):
		return "contains a control character"
	}
	for item := range strings.SplitSeq(cell, listSeparator) {
		if item = strings.TrimLeft(item, " "); item != "" && strings.ContainsRune(formulaStarts, rune(item[0])) {
			return fmt.Sprintf("%.40q starts with %q, which spreadsheets run as a formula", item, item[0])
		}
	}
	return ""
}

// isForbiddenControl reports control characters other than the line
// breaks a quoted cell may hold.
func isForbiddenControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

// checkCells records every cell of rec that no column accepts, naming
// its column; it reports whether all were acceptable.
func (rw *row) checkCells(h header, rec []string) bool {
	ok := true
	for i, cell := range rec {
		if problem := cellProblem(cell); problem != "" {
			rw.fail("%s %s", h.name(i), problem)
			ok = false
		}
	}
	return ok
}
