package limits

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// Input is the gqlgen extension that checks every argument of a validated
// operation, literal or passed in variables, at every depth of its input
// objects and lists, before anything runs: lists no longer than
// MaxListItems, no more than MaxInputValues values in all, strings of at
// most MaxStringBytes bytes of valid UTF-8 without NUL characters (which
// PostgreSQL cannot store), and well-formed ids and cursors. A value
// that fails is answered with BAD_USER_INPUT naming its input field in
// extensions.field and its whole argument path in the message.
//
// GraphQL validation checks only that values have the right shape, and
// gqlgen's own decoding of ids and cursors answers with Go's error texts
// (strconv.Atoi: parsing ...), so the checks are done here, once for every
// argument of every field, rather than input type by input type. Add it
// with Use(&Input{...}): it keeps the schema that gqlgen hands to Validate.
type Input struct {
	Limits
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &Input{}

// ExtensionName implements graphql.HandlerExtension.
func (*Input) ExtensionName() string { return "HubInput" }

// Validate implements graphql.HandlerExtension.
func (in *Input) Validate(s graphql.ExecutableSchema) error {
	in.schema = s.Schema()
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator.
func (in *Input) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	c := &inputCheck{Limits: in.Limits, schema: in.schema}
	return eachField(opCtx, func(f *ast.Field) *gqlerror.Error {
		if f.Definition == nil {
			return nil
		}
		for _, arg := range f.Arguments {
			def := f.Definition.Arguments.ForName(arg.Name)
			if def == nil || arg.Value == nil {
				continue
			}
			v, err := arg.Value.Value(opCtx.Variables)
			if err != nil {
				continue // validation has reported it
			}
			if e := c.value(v, def.Type, []string{arg.Name}); e != nil {
				e.Message = fmt.Sprintf("%s.%s: %s", f.Name, strings.Join(c.path, "."), e.Message)
				return present(e, arg.Position)
			}
		}
		return nil
	})
}

// inputCheck walks argument values, counting them.
type inputCheck struct {
	Limits
	schema *ast.Schema
	values int
	// path is the argument path of the value at fault, once one is.
	path []string
}

// value checks v, of type t (nil when unknown), found at path.
func (c *inputCheck) value(v any, t *ast.Type, path []string) *apierr.Error {
	if v == nil {
		return nil
	}
	if c.values++; exceeds(c.values, c.MaxInputValues) {
		return c.fail(path, "the arguments hold more than %d values; at most %d are allowed in one request", c.MaxInputValues, c.MaxInputValues)
	}
	if t != nil && t.Elem != nil {
		return c.list(v, t.Elem, path)
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.String:
		return c.scalar(rv.String(), v, t, path)
	case reflect.Slice, reflect.Array:
		return c.list(v, nil, path)
	case reflect.Map:
		return c.object(rv, t, path)
	}
	if t != nil {
		return c.scalar("", v, t, path)
	}
	return nil
}

// list checks a list's length and items; a single value where a list is
// expected is a list of one, as GraphQL coerces it.
func (c *inputCheck) list(v any, elem *ast.Type, path []string) *apierr.Error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return c.value(v, elem, path)
	}
	if exceeds(rv.Len(), c.MaxListItems) {
		return c.fail(path, "the list has %d items; at most %d are allowed", rv.Len(), c.MaxListItems)
	}
	for i := range rv.Len() {
		if e := c.value(rv.Index(i).Interface(), elem, path); e != nil {
			return e
		}
	}
	return nil
}

// object checks the keys and values of an input object or of a JSON-like
// scalar such as Translations.
func (c *inputCheck) object(rv reflect.Value, t *ast.Type, path []string) *apierr.Error {
	var def *ast.Definition
	if t != nil && c.schema != nil {
		def = c.schema.Types[t.NamedType]
	}
	iter := rv.MapRange()
	for iter.Next() {
		key := fmt.Sprint(iter.Key().Interface())
		field := append(path[:len(path):len(path)], key)
		if e := c.text(key, field); e != nil {
			return e
		}
		var ft *ast.Type
		if def != nil && def.Kind == ast.InputObject {
			if fd := def.Fields.ForName(key); fd != nil {
				ft = fd.Type
			}
		}
		if e := c.value(iter.Value().Interface(), ft, field); e != nil {
			return e
		}
	}
	return nil
}

// scalar checks a scalar: text (s, when v is a string) and the form of
// ids and cursors.
func (c *inputCheck) scalar(s string, v any, t *ast.Type, path []string) *apierr.Error {
	if _, isString := v.(string); isString {
		if e := c.text(s, path); e != nil {
			return e
		}
	}
	if t == nil {
		return nil
	}
	switch t.NamedType {
	case "ID":
		if err := CheckID(v); err != nil {
			return c.fail(path, "%v", err)
		}
	case "Cursor":
		var cursor entgql.Cursor[int]
		if cursor.UnmarshalGQL(v) != nil {
			return c.fail(path, "%s is not a cursor that the API returned", quote(v))
		}
	}
	return nil
}

// text checks a string's size and encoding.
func (c *inputCheck) text(s string, path []string) *apierr.Error {
	switch {
	case exceeds(len(s), c.MaxStringBytes):
		return c.fail(path, "the text is %d bytes long; at most %d are allowed", len(s), c.MaxStringBytes)
	case !utf8.ValidString(s):
		return c.fail(path, "the text is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return c.fail(path, "the text contains a NUL character (\\u0000), which is not allowed")
	}
	return nil
}

// fail records path and returns the BAD_USER_INPUT error for its last
// input field.
func (c *inputCheck) fail(path []string, format string, args ...any) *apierr.Error {
	c.path = path
	return apierr.Input(path[len(path)-1], format, args...)
}

// present turns an input error into a located GraphQL request error.
func present(e *apierr.Error, pos *ast.Position) *gqlerror.Error {
	err := &gqlerror.Error{Message: e.Message, Extensions: e.Extensions(), Err: e}
	if pos != nil {
		err.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	return err
}

// maxIDDigits is the length of the largest id, math.MaxInt64.
const maxIDDigits = 19

// CheckID returns an error, fit for the client, unless v is a well-formed
// id as a request may carry it: the decimal digits of a non-negative
// 64-bit integer, as a string or a JSON number. Whether the id names an
// object is for the resolver to say (NOT_FOUND).
func CheckID(v any) error {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case json.Number:
		s = v.String()
	case int:
		s = strconv.Itoa(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	default:
		return fmt.Errorf("%s is not an id: ids are strings of digits, as the API returns them", quote(v))
	}
	if s == "" || len(s) > maxIDDigits || strings.Trim(s, "0123456789") != "" {
		return fmt.Errorf("%s is not an id: ids are strings of digits, as the API returns them", quote(v))
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return fmt.Errorf("%s is not an id: it is out of range", quote(v))
	}
	return nil
}

// maxQuoted bounds the part of a bad value quoted in a message.
const maxQuoted = 40

// quote renders v for a message, shortened.
func quote(v any) string {
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	if len(s) > maxQuoted {
		cut := maxQuoted
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.QuoteToGraphic(s)
}

// eachField calls fn for every field the operation selects, fragments
// included (each fragment once), until fn returns an error.
func eachField(opCtx *graphql.OperationContext, fn func(*ast.Field) *gqlerror.Error) *gqlerror.Error {
	seen := map[string]bool{}
	var walk func(ast.SelectionSet) *gqlerror.Error
	walk = func(set ast.SelectionSet) *gqlerror.Error {
		for _, sel := range set {
			var err *gqlerror.Error
			switch sel := sel.(type) {
			case *ast.Field:
				if err = fn(sel); err == nil {
					err = walk(sel.SelectionSet)
				}
			case *ast.InlineFragment:
				err = walk(sel.SelectionSet)
			case *ast.FragmentSpread:
				if !seen[sel.Name] && sel.Definition != nil {
					seen[sel.Name] = true
					err = walk(sel.Definition.SelectionSet)
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return walk(opCtx.Operation.SelectionSet)
}
