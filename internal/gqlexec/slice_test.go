package gqlexec

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestMarshalSliceKeepsOrderAndIndices checks that each element runs under
// its own field context carrying its index, in order.
func TestMarshalSliceKeepsOrderAndIndices(t *testing.T) {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "towns"}}})
	type mark struct{}
	ctx = context.WithValue(ctx, mark{}, "kept")
	var seen []int
	ret := MarshalSlice(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || fc.Index == nil || *fc.Index != i {
			t.Errorf("element %d: field context index %v", i, fc)
		} else if path := fc.Path().String(); path != fmt.Sprintf("towns[%d]", i) {
			t.Errorf("element %d: path %s", i, path)
		}
		if ctx.Value(mark{}) != "kept" {
			t.Errorf("element %d does not see its parent's values", i)
		}
		seen = append(seen, i)
		return graphql.MarshalInt(i * 10)
	})
	if got := marshal(ret); got != "[0,10,20]" {
		t.Errorf("got %s, want [0,10,20]", got)
	}
	if len(seen) != 3 || seen[0] != 0 || seen[2] != 2 {
		t.Errorf("elements ran as %v, want in order", seen)
	}
	allocs := testing.AllocsPerRun(50, func() {
		MarshalSlice(ctx, 100, 0, true, func(context.Context, int) graphql.Marshaler { return graphql.Null })
	})
	if allocs > 2 {
		t.Errorf("a list of 100 elements allocated %v times, want the list and its elements' contexts (2)", allocs)
	}
}

// TestMarshalSliceTurnsAPanicIntoAnError checks that a panicking element
// becomes null with an error, the others keep their values.
func TestMarshalSliceTurnsAPanicIntoAnError(t *testing.T) {
	quiet := func(_ context.Context, r any) error { return fmt.Errorf("%v", r) }
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, quiet)
	ret := MarshalSlice(ctx, 2, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		if i == 1 {
			panic("broken element")
		}
		return graphql.MarshalInt(i)
	})
	if got := marshal(ret); got != "[0,null]" {
		t.Errorf("got %s, want [0,null]", got)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 {
		t.Errorf("errors %v, want one", errs)
	}
}

// TestExecutorIsGeneratedLean checks that the committed executor was made
// by graph/codegen (go run ./graph/codegen), not by plain gqlgen: no
// goroutine per list element or per field of an object.
func TestExecutorIsGeneratedLean(t *testing.T) {
	src, err := os.ReadFile("../../graph/generated.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, concurrent := range []string{"graphql.MarshalSliceConcurrently(", "out.ResolveConcurrently(", "graphql.NewDeferredGroup("} {
		if n := bytes.Count(src, []byte(concurrent)); n > 0 {
			t.Errorf("graph/generated.go calls %s %d times: regenerate with go generate ./graph", strings.TrimSuffix(concurrent, "("), n)
		}
	}
	for _, lean := range []string{"gqlexec.NewFields(", "gqlexec.NewObject(", "gqlexec.Args(", "(ctx, field.Selections, obj."} {
		if !bytes.Contains(src, []byte(lean)) {
			t.Errorf("graph/generated.go never calls %s: regenerate with go generate ./graph", strings.TrimSuffix(lean, "("))
		}
	}
}

func marshal(m graphql.Marshaler) string {
	var b bytes.Buffer
	m.MarshalGQL(&b)
	return b.String()
}

// TestObjectWritesFieldsInOrder checks the JSON of an object: response
// names in the order collected, values as they marshal.
func TestObjectWritesFieldsInOrder(t *testing.T) {
	fields := []graphql.CollectedField{{Field: &ast.Field{Alias: "id"}}, {Field: &ast.Field{Alias: "town"}}}
	got := marshal(NewObject(fields, []graphql.Marshaler{graphql.MarshalInt(7), graphql.MarshalString(`Kharkiv "East"`)}))
	if want := `{"id":7,"town":"Kharkiv \"East\""}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := marshal(NewObject(nil, nil)); got != "{}" {
		t.Errorf("empty object: got %s", got)
	}
	var other strings.Builder // a writer other than the executor's buffer
	NewObject(fields, []graphql.Marshaler{graphql.MarshalInt(7), graphql.MarshalString("Lviv")}).MarshalGQL(&other)
	if got, want := other.String(), `{"id":7,"town":"Lviv"}`; got != want {
		t.Errorf("into another writer: got %s, want %s", got, want)
	}
}
