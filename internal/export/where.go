package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
)

// idKey matches the where-input keys that hold ids (id, idIn, countryID,
// phaseIDNotIn, ...): GraphQL clients send ids as strings, the generated
// Go inputs hold them as ints.
var idKey = regexp.MustCompile(`(^id|ID)(NEQ|In|NotIn|GT|GTE|LT|LTE)?$`)

// decodeWhere decodes the JSON of a GraphQL where input into dst, a
// generated *ent.XWhereInput, as the API would: ids may be strings or
// numbers, an unknown key is an error that names it. The "within" key of
// municipalities is taken out first and returned, as it is not a field of
// the generated input.
func decodeWhere(raw string, dst any) (within json.RawMessage, err error) {
	if raw == "" {
		return nil, nil
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("where is not JSON: %v", err)
	}
	top, ok := tree.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("where must be a JSON object")
	}
	if w, ok := top["within"]; ok {
		delete(top, "within")
		if within, err = json.Marshal(w); err != nil {
			return nil, err
		}
	}
	normalised, err := json.Marshal(numberIDs(top))
	if err != nil {
		return nil, err
	}
	strict := json.NewDecoder(bytes.NewReader(normalised))
	strict.DisallowUnknownFields()
	if err := strict.Decode(dst); err != nil {
		return nil, fmt.Errorf("where: %v", err)
	}
	return within, checkEnums(reflect.ValueOf(dst))
}

// numberIDs turns the string ids under id keys of a decoded where input
// into numbers, recursively (not, and, or, has...With).
func numberIDs(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if idKey.MatchString(k) {
				t[k] = idNumbers(child)
			} else {
				t[k] = numberIDs(child)
			}
		}
	case []any:
		for i, child := range t {
			t[i] = numberIDs(child)
		}
	}
	return v
}

// idNumbers turns a string id, or each in a list, into a JSON number;
// anything else is left for the strict decoder to refuse.
func idNumbers(v any) any {
	switch t := v.(type) {
	case string:
		if _, err := strconv.ParseInt(t, 10, 64); err == nil {
			return json.Number(t)
		}
	case []any:
		for i, child := range t {
			t[i] = idNumbers(child)
		}
	}
	return v
}

// gqlEnum is what the generated enum types implement: their GraphQL
// decoding checks the value.
type gqlEnum interface{ UnmarshalGQL(v any) error }

// checkEnums checks every enum value in a decoded where input (JSON
// decoding takes any string), as the API's decoding would: it walks the
// input's fields, lists and nested inputs.
func checkEnums(v reflect.Value) error {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return checkEnums(v.Elem())
	case reflect.Slice:
		for i := range v.Len() {
			if err := checkEnums(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if err := checkEnums(v.Field(i)); err != nil {
					return err
				}
			}
		}
	case reflect.String:
		if e, ok := reflect.New(v.Type()).Interface().(gqlEnum); ok {
			if err := e.UnmarshalGQL(v.String()); err != nil {
				return fmt.Errorf("where: %v", err)
			}
		}
	}
	return nil
}
