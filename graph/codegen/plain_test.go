package main

import (
	"strings"
	"testing"
)

// fieldFunc is a field's marshalling function as gqlgen writes it.
func fieldFunc(name, body, valueType, marshaller string) string {
	return `func (ec *executionContext) _` + name + `(ctx context.Context, field graphql.CollectedField, obj *ent.Country) (ret graphql.Marshaler) {
	return graphql.ResolveField(
		ctx,
		ec.OperationContext,
		field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_` + name + `(ctx, field)
		},
		func(ctx context.Context) (any, error) {
` + body + `
		},
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v ` + valueType + `) graphql.Marshaler {
			return ec.` + marshaller + `(ctx, selections, v)
		},
		true,
		true,
	)
}
`
}

// marshallers are gqlgen's marshallers of a string, an enum of another
// package, a time and an object.
const marshallers = `
func (ec *executionContext) marshalNCountryStatus2githubᚗcomᚋhubᚋentᚋcountryᚐStatus(ctx context.Context, sel ast.SelectionSet, v country.Status) graphql.Marshaler {
	return v
}
func (ec *executionContext) marshalNString2string(ctx context.Context, sel ast.SelectionSet, v string) graphql.Marshaler {
	res := graphql.MarshalString(v)
	if res == graphql.Null {
		graphql.AddInvalidNullFromMarshaler(ctx, "String!")
	}
	return res
}
func (ec *executionContext) marshalNTime2timeᚐTime(ctx context.Context, sel ast.SelectionSet, v time.Time) graphql.Marshaler {
	res := graphql.MarshalTime(v)
	if res == graphql.Null {
		graphql.AddInvalidNullFromMarshaler(ctx, "Time!")
	}
	return res
}
func (ec *executionContext) marshalNRegion2ᚖRegion(ctx context.Context, sel ast.SelectionSet, v *ent.Region) graphql.Marshaler {
	return ec._Region(ctx, sel, v)
}
func (ec *executionContext) fieldContext_Country_name(ctx context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	if fc.Args, err = gqlexec.Args(ctx, ec.OperationContext, field, ec.Variables, ec.field_Country_name_args); err != nil {
		return fc, err
	}
	return fc, nil
}
`

// TestPlainFields checks which fields get the direct path: a struct field
// (a string, an enum whose marshaller's name has gqlgen's package
// separators), a time (the Hub's marshaller writes every time, the zero
// one too) and a localized name of a leaf type that never marshals to
// null do, and a resolver call keeps gqlgen's (an object read from its
// object takes readField's path: TestObjectFields).
func TestPlainFields(t *testing.T) {
	src := "package graph\n" +
		fieldFunc("Country_code", "\t\t\treturn obj.Code, nil", "string", "marshalNString2string") +
		fieldFunc("Country_name", "\t\t\tfc := graphql.GetFieldContext(ctx)\n\t\t\treturn obj.LocalizedName(fc.Args[\"lang\"].(*string)), nil", "string", "marshalNString2string") +
		fieldFunc("Country_status", "\t\t\treturn obj.Status, nil", "country.Status", "marshalNCountryStatus2githubᚗcomᚋhubᚋentᚋcountryᚐStatus") +
		fieldFunc("Country_createdAt", "\t\t\treturn obj.CreatedAt, nil", "time.Time", "marshalNTime2timeᚐTime") +
		fieldFunc("Country_region", "\t\t\treturn obj.Region, nil", "*ent.Region", "marshalNRegion2ᚖRegion") +
		fieldFunc("Country_flag", "\t\t\treturn ec.resolvers.Country().Flag(ctx, obj)", "string", "marshalNString2string") +
		marshallers
	out, err := plainFields([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		"func (ec *executionContext) _Country_code(ctx context.Context, field graphql.CollectedField, obj *ent.Country) (ret graphql.Marshaler) {\n" +
			"\treturn ec.marshalNString2string(ctx, field.Selections, obj.Code)\n}\n",
		"func (ec *executionContext) _Country_status(ctx context.Context, field graphql.CollectedField, obj *ent.Country) (ret graphql.Marshaler) {\n" +
			"\treturn ec.marshalNCountryStatus2githubᚗcomᚋhubᚋentᚋcountryᚐStatus(ctx, field.Selections, obj.Status)\n}\n",
		"\tif args, err := gqlexec.Args(ctx, ec.OperationContext, field, ec.Variables, ec.field_Country_name_args); err == nil {\n" +
			"\t\treturn ec.marshalNString2string(ctx, field.Selections, obj.LocalizedName(args[\"lang\"].(*string)))\n\t}\n" +
			"\treturn graphql.ResolveField(",
		"func (ec *executionContext) _Country_createdAt(ctx context.Context, field graphql.CollectedField, obj *ent.Country) (ret graphql.Marshaler) {\n" +
			"\treturn ec.marshalNTime2timeᚐTime(ctx, field.Selections, obj.CreatedAt)\n}\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the executor lacks\n%s\nin\n%s", want, got)
		}
	}
	for _, kept := range []string{"Country_flag"} {
		if !strings.Contains(got, "return ec.fieldContext_"+kept+"(ctx, field)") {
			t.Errorf("%s lost gqlgen's path", kept)
		}
	}
	if strings.Count(got, "return graphql.ResolveField(") != 2 {
		t.Errorf("want gqlgen's path in 2 functions (1 kept, 1 fallback):\n%s", got)
	}
}

// TestObjectFields checks the direct path of fields whose value is an
// object or a list read from their object: a struct field, and an edge
// method whose error is reported at the field; a value of an interface
// type and a resolver call keep gqlgen's.
func TestObjectFields(t *testing.T) {
	src := "package graph\n" +
		fieldFunc("Country_region", "\t\t\treturn obj.Region, nil", "*ent.Region", "marshalNRegion2ᚖRegion") +
		fieldFunc("Country_capital", "\t\t\treturn obj.Capital(ctx)", "*ent.Region", "marshalNRegion2ᚖRegion") +
		fieldFunc("Country_anything", "\t\t\treturn obj.Anything, nil", "ent.Noder", "marshalNRegion2ᚖRegion") +
		fieldFunc("Country_neighbour", "\t\t\treturn ec.resolvers.Country().Neighbour(ctx, obj)", "*ent.Region", "marshalNRegion2ᚖRegion") +
		marshallers
	out, err := plainFields([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	head := func(name string) string {
		return "func (ec *executionContext) _Country_" + name + "(ctx context.Context, field graphql.CollectedField, obj *ent.Country) (ret graphql.Marshaler) {\n" +
			"\tfc, err := ec.fieldContext_Country_" + name + "(ctx, field)\n\tif err != nil {\n\t\treturn graphql.Null\n\t}\n" +
			"\tctx = graphql.WithFieldContext(ctx, fc)\n" +
			"\tdefer func() {\n\t\tif r := recover(); r != nil {\n" +
			"\t\t\tec.OperationContext.Error(ctx, ec.OperationContext.Recover(ctx, r))\n\t\t\tret = graphql.Null\n\t\t}\n\t}()\n"
	}
	for _, want := range []string{
		head("region") + "\tres := obj.Region\n\tfc.Result = res\n\treturn ec.marshalNRegion2ᚖRegion(ctx, field.Selections, res)\n}\n",
		head("capital") + "\tres, err := obj.Capital(ctx)\n" +
			"\tif err != nil {\n\t\tec.OperationContext.Error(ctx, graphql.AddFieldLocationToError(ctx, err))\n\t\treturn graphql.Null\n\t}\n" +
			"\tfc.Result = res\n\treturn ec.marshalNRegion2ᚖRegion(ctx, field.Selections, res)\n}\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the executor lacks\n%s\nin\n%s", want, got)
		}
	}
	if strings.Count(got, "return graphql.ResolveField(") != 2 {
		t.Errorf("want gqlgen's path for the interface and the resolver call:\n%s", got)
	}
}

// TestLeafObjectFields checks the leaf path of object fields: a struct
// field and an entgql to-one edge method whose value's type has plain
// struct fields get it, naming the type's implementors and leaf set; a
// method that is not such an edge read does not; the leaf set lists the
// plain struct fields only (not a localized name, which may fall back to
// gqlgen's path).
func TestLeafObjectFields(t *testing.T) {
	src := "package graph\n" +
		"var countryImplementors = []string{\"Country\", \"Node\"}\n" +
		fieldFunc("Country_code", "\t\t\treturn obj.Code, nil", "string", "marshalNString2string") +
		fieldFunc("Country_name", "\t\t\tfc := graphql.GetFieldContext(ctx)\n\t\t\treturn obj.LocalizedName(fc.Args[\"lang\"].(*string)), nil", "string", "marshalNString2string") +
		fieldFunc("Country_twin", "\t\t\treturn obj.Twin, nil", "*ent.Country", "marshalOCountry2ᚖCountry") +
		fieldFunc("Country_sister", "\t\t\treturn obj.Sister(ctx)", "*ent.Country", "marshalOCountry2ᚖCountry") +
		fieldFunc("Country_rival", "\t\t\treturn obj.Rival(ctx)", "*ent.Country", "marshalOCountry2ᚖCountry") +
		marshallers + `
func (ec *executionContext) marshalOCountry2ᚖCountry(ctx context.Context, sel ast.SelectionSet, v *ent.Country) graphql.Marshaler {
	if v == nil {
		return graphql.Null
	}
	return ec._Country(ctx, sel, v)
}
`
	out, err := plainFields([]byte(src), map[string]bool{"Country.Sister": true})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	leaf := "\tif gqlexec.LeafSelection(ec.OperationContext, field.Selections, countryImplementors, leafFields_Country) {\n"
	for name, read := range map[string]string{"twin": "obj.Twin, error(nil)", "sister": "obj.Sister(ctx)"} {
		want := "func (ec *executionContext) _Country_" + name + "(ctx context.Context, field graphql.CollectedField, obj *ent.Country) (ret graphql.Marshaler) {\n" + leaf
		if !strings.Contains(got, want) || !strings.Contains(got, "\t\tres, err := "+read+"\n\t\tif err == nil && res != nil {\n\t\t\treturn ec._Country(ctx, field.Selections, res)\n\t\t}\n") {
			t.Errorf("%s lacks the leaf path:\n%s", name, got)
		}
	}
	if strings.Count(got, leaf) != 2 {
		t.Errorf("want the leaf path in twin and sister only:\n%s", got)
	}
	if !strings.Contains(got, "\nvar leafFields_Country = map[string]bool{\"code\": true}\n") {
		t.Errorf("the leaf set of Country is not code alone:\n%s", got)
	}
}

// TestToOneEdgeReads checks which of entgql's edge methods read a to-one
// edge: the loaded edge or one query, with or without masking not found.
func TestToOneEdgeReads(t *testing.T) {
	src := `func (_m *Partnership) Phase(ctx context.Context) (*Phase, error) {
	result, err := _m.Edges.PhaseOrErr()
	if IsNotLoaded(err) {
		result, err = _m.QueryPhase().Only(ctx)
	}
	return result, err
}

func (_m *Post) ReplyTo(ctx context.Context) (*Post, error) {
	result, err := _m.Edges.ReplyToOrErr()
	if IsNotLoaded(err) {
		result, err = _m.QueryReplyTo().Only(ctx)
	}
	return result, MaskNotFound(err)
}

func (_m *Post) Author(ctx context.Context) (*User, error) {
	alias := graphql.GetFieldContext(ctx).Field.Alias
	return _m.NamedAuthor(alias)
}
`
	got := toOneEdgeReads([]byte(src))
	if len(got) != 2 || !got["Partnership.Phase"] || !got["Post.ReplyTo"] {
		t.Errorf("to-one edge reads %v, want Partnership.Phase and Post.ReplyTo", got)
	}
}
