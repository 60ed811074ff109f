package authz

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/validation"
)

// Attach says whose rules decide who may link two rows through an edge.
type Attach string

// The two answers an edge gives (see EdgeWrite).
const (
	// AttachBySource: the source row's own write rules check the rows it
	// links (a project's rules check its partnership, a post's its topic),
	// so the viewer needs only to see the target.
	AttachBySource Attach = "SOURCE"
	// AttachByTarget: linking also changes the target row (an association
	// facilitating a partnership, a municipality joining an association),
	// so the viewer must be allowed to change the target too.
	AttachByTarget Attach = "TARGET"
)

// EdgeWrite is the Ent edge annotation that every edge of the schema
// carries: it names whose rules decide who may link rows through the edge
// (see GuardEdges). A test walks the schema and fails on an edge without
// one, so a new edge cannot forget to say.
type EdgeWrite struct {
	Attach Attach `json:"attach"`
}

// Name implements schema.Annotation.
func (EdgeWrite) Name() string { return "EdgeWrite" }

// The annotations the schema uses.
var (
	// SourceDecides marks an edge whose source's rules check its targets.
	SourceDecides = EdgeWrite{Attach: AttachBySource}
	// TargetDecides marks an edge that needs the right to change the target.
	TargetDecides = EdgeWrite{Attach: AttachByTarget}
)

// GuardEdges checks every row a mutation links or unlinks, through any edge
// of any type: each id must name a row of the edge's type that the viewer
// may read (an unknown id and one the viewer may not see get the same
// BAD_USER_INPUT answer, naming the input field), and on an edge marked
// AttachByTarget the viewer must also be allowed to change the target row.
// It denies or skips, never allows: the entity's own rules follow it in
// WritePolicy. Edge rules come from the schema (gen.EdgeRules).
func GuardEdges() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		c, ok := m.(interface{ Client() *gen.Client })
		if !ok {
			return deny("this change cannot be checked")
		}
		g := edgeGuard{ctx: ctx, client: c.Client(), m: m, rules: gen.EdgeRules[m.Type()]}
		return g.check()
	})
}

// edgeGuard checks the edges of one mutation.
type edgeGuard struct {
	ctx    context.Context
	client *gen.Client
	m      ent.Mutation
	rules  map[string]gen.EdgeRule
}

// change is one way a mutation touches an edge, for error messages.
type change int

const (
	added change = iota
	removed
	cleared
)

func (g edgeGuard) check() error {
	for _, name := range g.m.AddedEdges() {
		if err := g.link(name, added, ids(g.m.AddedIDs(name))); err != nil {
			return err
		}
	}
	for _, name := range g.m.RemovedEdges() {
		if err := g.link(name, removed, ids(g.m.RemovedIDs(name))); err != nil {
			return err
		}
	}
	for _, name := range g.m.ClearedEdges() {
		if err := g.clear(name); err != nil {
			return err
		}
	}
	return privacy.Skip
}

// link checks the rows a mutation adds to or removes from edge name.
func (g edgeGuard) link(name string, how change, targets []int) error {
	rule, ok := g.rules[name]
	if !ok {
		return deny(fmt.Sprintf("%s.%s has no edge rule", g.m.Type(), name))
	}
	visible, err := g.client.VisibleIDs(g.ctx, rule.Target, uniq(targets))
	if err != nil {
		return err
	}
	for _, id := range targets {
		if !slices.Contains(visible, id) {
			return unknownTarget(rule, g.m.Op(), how, id)
		}
	}
	return g.attachable(rule, visible)
}

// clear checks the rows that a cleared edge unlinks: those linked now.
func (g edgeGuard) clear(name string) error {
	rule, ok := g.rules[name]
	if !ok {
		return deny(fmt.Sprintf("%s.%s has no edge rule", g.m.Type(), name))
	}
	if rule.Attach != string(AttachByTarget) || g.m.Op().Is(ent.OpCreate) {
		return nil
	}
	sources, err := mutatedIDs(g.ctx, g.m)
	if err != nil {
		return err
	}
	linked, err := g.client.NeighbourIDs(SystemContext(g.ctx), g.m.Type(), name, sources)
	if err != nil {
		return err
	}
	return g.attachable(rule, uniq(linked))
}

// attachable checks, on an AttachByTarget edge, that the viewer may change
// every one of targets.
func (g edgeGuard) attachable(rule gen.EdgeRule, targets []int) error {
	if rule.Attach != string(AttachByTarget) {
		return nil
	}
	for _, id := range targets {
		if err := g.client.EvalUpdatePolicy(g.ctx, rule.Target, id); err != nil {
			return deny(fmt.Sprintf("you are not allowed to link or unlink %s %d (%s)", words(rule.Target), id, rule.Input))
		}
	}
	return nil
}

// unknownTarget is the answer for an id that names no row the viewer may
// see: the same whether the row is missing, of another type or hidden.
func unknownTarget(rule gen.EdgeRule, op ent.Op, how change, id int) error {
	field := rule.Input
	switch {
	case how == added && !rule.Unique && !op.Is(ent.OpCreate):
		field = "add" + upperFirst(rule.Input)
	case how == removed:
		field = "remove" + upperFirst(rule.Input)
	}
	return &validation.FieldError{Field: field, Err: fmt.Errorf("%s %d does not exist", words(rule.Target), id)}
}

// mutatedIDs returns the ids of the rows an update changes.
func mutatedIDs(ctx context.Context, m ent.Mutation) ([]int, error) {
	if byID, ok := m.(interface{ ID() (int, bool) }); ok {
		if id, exists := byID.ID(); exists {
			return []int{id}, nil
		}
	}
	if many, ok := m.(interface {
		IDs(context.Context) ([]int, error)
	}); ok {
		return many.IDs(SystemContext(ctx))
	}
	return nil, fmt.Errorf("authz: %s mutation without ids", m.Type())
}

// ids converts Ent's edge id values to ints (every id of the Hub is one).
func ids(values []ent.Value) []int {
	out := make([]int, 0, len(values))
	for _, v := range values {
		if id, ok := v.(int); ok {
			out = append(out, id)
		}
	}
	return out
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// words turns a type name into lower-case words: ForumCategory -> forum category.
func words(typ string) string {
	var b strings.Builder
	for i, r := range typ {
		if unicode.IsUpper(r) && i > 0 && !unicode.IsUpper(rune(typ[i-1])) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// EdgeRead is the Ent edge annotation for an edge whose target the viewer
// can read whenever the viewer can read the source (a post's topic, a
// topic's category): the edge's id field may then be shown and filtered on
// although the target type is not public. A test checks the claim for
// every viewer of a fixture, and fails on a shown id field of a non-public
// type without it.
type EdgeRead struct {
	WithSource bool `json:"with_source"`
}

// Name implements schema.Annotation.
func (EdgeRead) Name() string { return "EdgeRead" }

// VisibleWithSource marks an edge whose target is readable with its source.
var VisibleWithSource = EdgeRead{WithSource: true}
