package importer

import (
	"fmt"
	"strings"

	"entgo.io/ent"
)

// Op is what an import does, or would do, to one entity.
type Op string

// The operations a report lists.
const (
	// OpCreate creates an entity the store lacks.
	OpCreate Op = "create"
	// OpUpdate changes a stored entity (partnerships, with Options.Update).
	OpUpdate Op = "update"
	// OpConflict is a change to a stored partnership that the file asks for
	// without Options.Update: nothing is written.
	OpConflict Op = "conflict"
)

// FieldChange is one field a row changes: its stored and its new value.
type FieldChange struct{ Field, Old, New string }

// String writes the change as `phase "pilot" → "recovery"`.
func (f FieldChange) String() string { return fmt.Sprintf("%s %q → %q", f.Field, f.Old, f.New) }

// Change is a creation, update or conflict of one entity, with the line of
// the first row that asks for it.
type Change struct {
	Line   int
	Op     Op
	Entity string
	// Name names the entity by its natural key, e.g. "Kuldīga (LV)".
	Name   string
	Fields []FieldChange
}

// String writes the change as "line 3: update partnership A – B: phase ...".
func (c Change) String() string {
	var b strings.Builder
	if c.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", c.Line)
	}
	fmt.Fprintf(&b, "%s %s %s", c.Op, c.Entity, c.Name)
	for i, f := range c.Fields {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep + f.String())
	}
	return b.String()
}

// Match is a name of the file that named a stored entity without being
// its exact name: another case, other diacritics or a translation.
type Match struct {
	Line         int
	Entity       string
	Given, Found string
}

// String writes the match as `line 4: municipality "Kuldiga" is Kuldīga (LV)`.
func (m Match) String() string {
	return fmt.Sprintf("line %d: %s %q is %s", m.Line, m.Entity, m.Given, m.Found)
}

// ConflictsError is returned, and nothing imported, when rows would change
// stored partnerships and Options.Update is not set.
type ConflictsError struct {
	// Conflicts lists the changes asked for, in file order.
	Conflicts []Change
}

// Error lists every conflict, one a line.
func (e *ConflictsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d row(s) would change stored partnerships, nothing imported (--update applies the changes):", len(e.Conflicts))
	for _, c := range e.Conflicts {
		b.WriteString("\n  " + c.String())
	}
	return b.String()
}

// originKey names an entity by its type and natural key.
type originKey struct {
	entity string
	key    any
}

// origins remembers the first line that names each entity, labels the
// mutations made for it and lists the changes, so that reports and the
// audit log say which line of which file caused what.
type origins struct {
	// source labels the audit entries, e.g. "hub import partnerships
	// file.csv"; "" leaves them to the audit log's default.
	source  string
	lines   map[originKey]int
	labels  map[ent.Mutation]string
	changes []Change
}

func newOrigins(source string) *origins {
	return &origins{source: source, lines: map[originKey]int{}, labels: map[ent.Mutation]string{}}
}

// maxLabel is the audit log's longest actor label.
const maxLabel = 200

// name records that line names the entity, unless an earlier line did.
func (o *origins) name(entity string, key any, line int) {
	k := originKey{entity, key}
	if _, seen := o.lines[k]; !seen {
		o.lines[k] = line
	}
}

// line returns the first line naming the entity, or 0.
func (o *origins) line(entity string, key any) int { return o.lines[originKey{entity, key}] }

// record lists a change of the entity and labels its mutation (nil for a
// conflict, which writes nothing) for the audit log.
func (o *origins) record(m ent.Mutation, op Op, entity string, key any, fields []FieldChange) {
	line := o.line(entity, key)
	o.changes = append(o.changes, Change{Line: line, Op: op, Entity: entity, Name: fmt.Sprint(key), Fields: fields})
	if m == nil || o.source == "" {
		return
	}
	label := o.source
	if line > 0 {
		label = fmt.Sprintf("%s line %d", o.source, line)
	}
	if len(label) > maxLabel {
		label = "…" + strings.ToValidUTF8(label[len(label)-maxLabel+len("…"):], "")
	}
	o.labels[m] = label
}

// label is the audit.Labeler of the import.
func (o *origins) label(m ent.Mutation) string { return o.labels[m] }

// ofOp returns the recorded changes with the operation.
func (o *origins) ofOp(op Op) []Change {
	var out []Change
	for _, c := range o.changes {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}
