package apierr

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// inputName returns the spelling that the request itself uses for an input
// field named name in any case (topicId for topicID): the data layer names
// fields one way (countryID, addMemberIDs), hand-written inputs sometimes
// another (topicId), and extensions.field should say what the client sent.
// It returns name when the request has no such field.
func inputName(ctx context.Context, name string) string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || name == "" {
		return name
	}
	var vars map[string]any
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		vars = oc.Variables
	}
	for _, arg := range fc.Field.Arguments {
		if found := findName(name, arg.Name, arg.Value, vars); found != "" {
			return found
		}
	}
	return name
}

// findName looks for name among key and the keys inside value, written
// literally or given as variables.
func findName(name, key string, value *ast.Value, vars map[string]any) string {
	if strings.EqualFold(key, name) {
		return key
	}
	if value == nil {
		return ""
	}
	if value.Kind == ast.Variable {
		return findKey(name, vars[value.Raw])
	}
	for _, child := range value.Children {
		if found := findName(name, child.Name, child.Value, vars); found != "" {
			return found
		}
	}
	return ""
}

// findKey looks for name among the object keys of a variable's value.
func findKey(name string, v any) string {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if strings.EqualFold(k, name) {
				return k
			}
			if found := findKey(name, child); found != "" {
				return found
			}
		}
	case []any:
		for _, child := range v {
			if found := findKey(name, child); found != "" {
				return found
			}
		}
	}
	return ""
}
