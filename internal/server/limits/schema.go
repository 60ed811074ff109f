package limits

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// costSchema wraps the executable schema so that gqlgen's complexity
// walker multiplies the cost of a list field's selection by its page size.
// It applies to every field that takes first/last (Relay connections) or a
// list of ids (nodes), so no field needs a hand-written complexity
// function; fields that have one in the generated config keep it.
type costSchema struct {
	graphql.ExecutableSchema
	// lists maps "Type.field" to the argument kinds the field takes.
	lists       map[string]listArgs
	maxPageSize int
}

// listArgs says which page-size arguments a field takes.
type listArgs struct{ paged, ids bool }

// newCostSchema indexes the list fields of es.
func newCostSchema(es graphql.ExecutableSchema, maxPageSize int) costSchema {
	lists := map[string]listArgs{}
	for _, def := range es.Schema().Types {
		for _, f := range def.Fields {
			var la listArgs
			for _, a := range f.Arguments {
				switch {
				case a.Name == "first" || a.Name == "last":
					la.paged = true
				case a.Name == "ids" && a.Type.Elem != nil:
					la.ids = true
				}
			}
			if la.paged || la.ids {
				lists[def.Name+"."+f.Name] = la
			}
		}
	}
	return costSchema{ExecutableSchema: es, lists: lists, maxPageSize: maxPageSize}
}

// Complexity implements graphql.ExecutableSchema: one for the field plus
// its selection's cost times the number of items it may return. A paged
// field without first/last is costed at the full page size.
func (s costSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if n, ok := s.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return n, true
	}
	la, ok := s.lists[typeName+"."+field]
	if !ok {
		return 0, false
	}
	items := MaxPageSize(ctx, s.maxPageSize)
	if la.ids {
		list, _ := args["ids"].([]any)
		items = len(list)
	} else if n, ok := pageSize(args); ok {
		items = n
	}
	return add(1, mul(max(items, 1), child)), true
}

// pageSize returns first, or else last, when given.
func pageSize(args map[string]any) (int, bool) {
	for _, name := range []string{"first", "last"} {
		if n, ok := toInt(args[name]); ok && n >= 0 {
			return n, true
		}
	}
	return 0, false
}
