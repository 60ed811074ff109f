package graph

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/gqlexec"
)

// pageSides are the Municipality fields that page its partnerships, by the
// side they page.
var pageSides = map[string]ent.PartnershipSide{
	"partnerships":   ent.EitherSide,
	"uaPartnerships": ent.UkrainianSide,
	"euPartnerships": ent.EuropeanSide,
}

// partnershipsOfMunicipality returns the page (after, first, before,
// last, orderBy, where) of the partnerships of the municipality id that
// the field of ctx asks for (its side is the field's), read for its whole
// list at once and together with the sibling fields that page the same
// municipality's partnerships alike (pageGroup): a municipality's page
// asking for both sides costs one statement.
func partnershipsOfMunicipality(ctx context.Context, client *ent.Client, id int,
	after *entgql.Cursor[int], first *int, before *entgql.Cursor[int], last *int,
	orderBy []*ent.PartnershipOrder, where *ent.PartnershipWhereInput,
) (*ent.PartnershipConnection, error) {
	group, me := pageGroup(ctx)
	requests := make([]ent.PartnershipPageRequest, len(group))
	for i, f := range group {
		requests[i] = ent.PartnershipPageRequest{Side: pageSides[f.Name], Field: f}
	}
	pages, err := batched(ctx, batchKey{kind: "partnerships of a municipality", field: group[0].Field},
		id, municipalityIDs, func(ctx context.Context, ids []int) (map[int][]*ent.PartnershipConnection, error) {
			return client.Partnership.PagesOfMunicipalities(ctx, ids, requests, after, first, before, last,
				ent.WithPartnershipOrder(orderBy), ent.WithPartnershipFilter(where.Filter))
		})
	if err != nil {
		return nil, err
	}
	return pages[me], nil
}

// pageGroupOf is what pageGroup finds for a field: the fields read with
// it and its index among them.
type pageGroupOf struct {
	fields []graphql.CollectedField
	index  int
}

// pageGroup returns the fields of the selection of the field of ctx that
// are read with it, in document order, and its index among them: the
// fields of pageSides beside it with the same arguments whose selections
// can load together (pageGroups). The first of them keys their batch. In
// a query operation it is found once per field of the document, not once
// per item of a list.
func pageGroup(ctx context.Context) ([]graphql.CollectedField, int) {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		return findPageGroup(ctx)
	}
	field := graphql.GetFieldContext(ctx).Field.Field
	if g, ok := l.groups.Load(field); ok {
		return g.(pageGroupOf).fields, g.(pageGroupOf).index
	}
	fields, index := findPageGroup(ctx)
	l.groups.Store(field, pageGroupOf{fields, index})
	return fields, index
}

// findPageGroup finds the fields read with the field of ctx (pageGroup).
func findPageGroup(ctx context.Context) ([]graphql.CollectedField, int) {
	fc := graphql.GetFieldContext(ctx)
	oc := graphql.GetOperationContext(ctx)
	me := graphql.CollectedField{Field: fc.Field.Field, Selections: fc.Field.Selections}
	if fc.Parent == nil || fc.Field.ObjectDefinition == nil {
		return []graphql.CollectedField{me}, 0
	}
	object := fc.Field.ObjectDefinition
	satisfies := append([]string{object.Name}, object.Interfaces...)
	var pages []graphql.CollectedField
	for _, f := range gqlexec.CollectFields(oc, fc.Parent.Field.Selections, satisfies) {
		if _, ok := pageSides[f.Name]; ok {
			pages = append(pages, f)
		}
	}
	if len(pages) < 2 {
		return []graphql.CollectedField{me}, 0 // alone: no signatures to compare
	}
	for _, group := range pageGroups(oc, pages) {
		for i, f := range group {
			if f.Field == fc.Field.Field {
				return group, i
			}
		}
	}
	return []graphql.CollectedField{me}, 0
}

// pageGroups deals fields into groups, in document order: a field joins
// the first group whose fields have its arguments and whose nodes' fields
// of the same alias select the same (so that one query can load what each
// asks for).
func pageGroups(oc *graphql.OperationContext, fields []graphql.CollectedField) [][]graphql.CollectedField {
	type group struct {
		fields []graphql.CollectedField
		args   map[string]any
		nodes  map[string]string // alias → signature of the nodes' fields
	}
	var groups []*group
next:
	for _, f := range fields {
		args, nodes := f.ArgumentMap(oc.Variables), nodeSignatures(oc, f)
		for _, g := range groups {
			if reflect.DeepEqual(g.args, args) && agree(g.nodes, nodes) {
				g.fields = append(g.fields, f)
				for alias, sig := range nodes {
					g.nodes[alias] = sig
				}
				continue next
			}
		}
		groups = append(groups, &group{fields: []graphql.CollectedField{f}, args: args, nodes: nodes})
	}
	out := make([][]graphql.CollectedField, len(groups))
	for i, g := range groups {
		out[i] = g.fields
	}
	return out
}

// agree reports whether the signatures of a and b are the same where they
// have the same alias.
func agree(a, b map[string]string) bool {
	for alias, sig := range b {
		if other, ok := a[alias]; ok && other != sig {
			return false
		}
	}
	return true
}

// nodeSignatures returns, by alias, the signatures of the fields that a
// connection field selects on its nodes (edges.node).
func nodeSignatures(oc *graphql.OperationContext, f graphql.CollectedField) map[string]string {
	sigs := map[string]string{}
	for _, edges := range gqlexec.CollectFields(oc, f.Selections, nil) {
		if edges.Name != "edges" {
			continue
		}
		for _, node := range gqlexec.CollectFields(oc, edges.Selections, nil) {
			if node.Name != "node" {
				continue
			}
			for _, field := range gqlexec.CollectFields(oc, node.Selections, nil) {
				sigs[field.Alias] = signature(oc, field)
			}
		}
	}
	return sigs
}

// signature writes out a field: its name, its arguments and, in turn,
// what it selects.
func signature(oc *graphql.OperationContext, f graphql.CollectedField) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%v{", f.Name, f.ArgumentMap(oc.Variables))
	children := slices.Clone(gqlexec.CollectFields(oc, f.Selections, nil)) // kept for the document: sort a copy
	slices.SortFunc(children, func(x, y graphql.CollectedField) int { return strings.Compare(x.Alias, y.Alias) })
	for _, c := range children {
		b.WriteString(c.Alias + ":" + signature(oc, c) + " ")
	}
	b.WriteString("}")
	return b.String()
}
