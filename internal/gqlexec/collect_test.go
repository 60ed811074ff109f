package gqlexec

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestCollectFieldsKeepsEachSelectionSet checks that CollectFields answers
// as gqlgen does, keeps the answer per selection set and list of types for
// the operation, and looks it up again without allocating.
func TestCollectFieldsKeepsEachSelectionSet(t *testing.T) {
	opCtx := &graphql.OperationContext{}
	if err := (OperationCache{}).MutateOperationContext(context.Background(), opCtx); err != nil {
		t.Fatal(err)
	}
	town := []string{"Municipality", "Node"}
	project := []string{"Project", "Node"}
	set := ast.SelectionSet{&ast.Field{Name: "id", Alias: "id"}, &ast.Field{Name: "name", Alias: "label"}, &ast.Field{Name: "id", Alias: "id"}}
	other := ast.SelectionSet{&ast.Field{Name: "title", Alias: "title"}}

	fields := CollectFields(opCtx, set, town)
	want := graphql.CollectFields(&graphql.OperationContext{}, set, town)
	if len(fields) != len(want) || len(fields) != 2 {
		t.Fatalf("collected %d fields, gqlgen %d, want 2 (id merged)", len(fields), len(want))
	}
	for i := range want {
		if fields[i].Alias != want[i].Alias || fields[i].Name != want[i].Name {
			t.Errorf("field %d: %s:%s, gqlgen %s:%s", i, fields[i].Alias, fields[i].Name, want[i].Alias, want[i].Name)
		}
	}
	if again := CollectFields(opCtx, set, town); &again[0] != &fields[0] {
		t.Error("the same selection set was collected again")
	}
	if apart := CollectFields(opCtx, set, project); &apart[0] == &fields[0] {
		t.Error("another list of types shared the collected fields")
	}
	if o := CollectFields(opCtx, other, town); len(o) != 1 || o[0].Alias != "title" {
		t.Errorf("another selection set gave %v", o)
	}
	if allocs := testing.AllocsPerRun(100, func() { CollectFields(opCtx, set, town) }); allocs != 0 {
		t.Errorf("a cached lookup allocated %v times, want 0", allocs)
	}
	// Without the extension every call collects.
	plain := &graphql.OperationContext{}
	if got := CollectFields(plain, set, town); len(got) != 2 {
		t.Errorf("without a cache: %d fields, want 2", len(got))
	}
}

// TestCollectImplementorFieldsKeysByList checks that the executor's
// lookup answers as CollectFields does, keeps one answer per selection
// set and list, tells lists of the same names apart by address only in
// its own map, and looks up again without allocating.
func TestCollectImplementorFieldsKeysByList(t *testing.T) {
	opCtx := &graphql.OperationContext{}
	if err := (OperationCache{}).MutateOperationContext(context.Background(), opCtx); err != nil {
		t.Fatal(err)
	}
	town := []string{"Municipality", "Node"}
	project := []string{"Project", "Node"}
	set := ast.SelectionSet{
		&ast.Field{Name: "id", Alias: "id"},
		&ast.InlineFragment{TypeCondition: "Project", SelectionSet: ast.SelectionSet{&ast.Field{Name: "title", Alias: "title"}}},
	}
	fields := CollectImplementorFields(opCtx, set, town)
	if len(fields) != 1 || fields[0].Alias != "id" {
		t.Fatalf("a town collected %v, want id", fields)
	}
	if got := CollectImplementorFields(opCtx, set, project); len(got) != 2 || got[1].Alias != "title" {
		t.Fatalf("a project collected %v, want id and title", got)
	}
	if again := CollectImplementorFields(opCtx, set, town); &again[0] != &fields[0] {
		t.Error("the same selection set and list were collected again")
	}
	if byName := CollectFields(opCtx, set, town); len(byName) != 1 || byName[0].Alias != "id" {
		t.Errorf("by names: %v", byName)
	}
	if allocs := testing.AllocsPerRun(100, func() { CollectImplementorFields(opCtx, set, town) }); allocs != 0 {
		t.Errorf("a cached lookup allocated %v times, want 0", allocs)
	}
}
