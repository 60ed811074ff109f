package graph

import (
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

// The executor resolves the items of a list one after the other (see
// internal/gqlexec), so a loader waiting for the other items of a list
// (batched) sees one list at a time: the municipalities of each region of
// a page of regions would each cost a statement of their own. Those lists
// are in memory already, read by the query of the level above them (Ent's
// named edges), so the first of them can gather the ids of all of them.
// gqlgen and dataloaders offer nothing for this; it is written here.

// sameListsAbove returns the ids, as idsOf reads them, of the lists found
// at the same place as list (the field context of a list) under every
// item of the lists above it, from the operation's root field down: the
// municipalities of every region of a page of regions, where list is one
// region's, whose own ids are among them. It returns nil when no list
// stands above list, or when a step down cannot be followed from the
// results in memory (a field that a resolver computes).
func sameListsAbove(list *graphql.FieldContext, idsOf func(result any) []int) []int {
	var path []*graphql.FieldContext
	root, nested := list, false
	for fc := list; fc != nil; fc = fc.Parent {
		if fc.Index != nil {
			nested = true // an item of a list above
			continue
		}
		if fc.Field.Field == nil {
			continue // the operation
		}
		path = append(path, fc)
		root = fc
	}
	if !nested {
		return nil
	}
	var ids []int
	ok := descend(reflect.ValueOf(root.Result), reverse(path[:len(path)-1]), idsOf, &ids)
	if !ok {
		return nil
	}
	return ids
}

// reverse returns path from its last element to its first.
func reverse(path []*graphql.FieldContext) []*graphql.FieldContext {
	out := make([]*graphql.FieldContext, len(path))
	for i, fc := range path {
		out[len(path)-1-i] = fc
	}
	return out
}

// descend follows path (fields from v down to a list) from v, across
// every item of the lists on the way, and adds the ids of each list
// reached to ids. It reports false when a step cannot be followed.
func descend(v reflect.Value, path []*graphql.FieldContext, idsOf func(result any) []int, ids *[]int) bool {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return true
		}
		v = v.Elem()
	}
	if len(path) == 0 {
		found := idsOf(v.Interface())
		*ids = append(*ids, found...)
		return found != nil
	}
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			if !descend(v.Index(i), path, idsOf, ids) {
				return false
			}
		}
		return true
	}
	fc, rest := path[0], path[1:]
	if named := namedEdge(v, fc); named.IsValid() {
		out := named.Call([]reflect.Value{reflect.ValueOf(fc.Field.Alias)})
		if !out[1].IsNil() {
			return false // not loaded under that alias
		}
		// The rows of a connection stand for its edges' nodes.
		switch {
		case len(rest) > 0 && rest[0].Field.Name == "edges" && len(rest) == 1:
			rest = nil
		case len(rest) > 1 && rest[0].Field.Name == "edges" && rest[1].Field.Name == "node":
			rest = rest[2:]
		}
		return descend(out[0], rest, idsOf, ids)
	}
	if v.Kind() != reflect.Struct {
		return false
	}
	f := v.FieldByName(exported(fc.Field.Name))
	if !f.IsValid() {
		return false
	}
	return descend(f, rest, idsOf, ids)
}

// namedEdge returns the Named<Edge> method of the Ent node v for field fc
// (the edge's rows loaded under an alias), or an invalid value.
func namedEdge(v reflect.Value, fc *graphql.FieldContext) reflect.Value {
	if !v.CanAddr() {
		return reflect.Value{}
	}
	m := v.Addr().MethodByName("Named" + exported(fc.Field.Name))
	if !m.IsValid() || m.Type().NumIn() != 1 || m.Type().In(0).Kind() != reflect.String || m.Type().NumOut() != 2 {
		return reflect.Value{}
	}
	return m
}

// exported returns name with its first letter in upper case.
func exported(name string) string {
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
