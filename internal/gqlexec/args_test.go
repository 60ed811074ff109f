package gqlexec

import (
	"context"
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestArgsParsesEachFieldOncePerOperation checks that the arguments of one
// field of the document are parsed once per operation, those of another
// field apart, and that a failed parse is not kept.
func TestArgsParsesEachFieldOncePerOperation(t *testing.T) {
	opCtx := &graphql.OperationContext{}
	if err := (OperationCache{}).MutateOperationContext(context.Background(), opCtx); err != nil {
		t.Fatal(err)
	}
	ctx := graphql.WithOperationContext(context.Background(), opCtx)
	lang := &ast.Field{Alias: "name"}
	other := &ast.Field{Alias: "title"}
	parses := 0
	parse := func(context.Context, map[string]any) (map[string]any, error) {
		parses++
		return map[string]any{"parse": parses}, nil
	}
	for range 3 {
		args, err := Args(ctx, opCtx, graphql.CollectedField{Field: lang}, nil, parse)
		if err != nil || args["parse"] != 1 {
			t.Fatalf("args %v, error %v: want those of the first parse", args, err)
		}
	}
	if _, err := Args(ctx, opCtx, graphql.CollectedField{Field: other}, nil, parse); err != nil {
		t.Fatal(err)
	}
	if parses != 2 {
		t.Errorf("parsed %d times, want once per field (2)", parses)
	}
	failing := func(context.Context, map[string]any) (map[string]any, error) {
		parses++
		return nil, errors.New("bad argument")
	}
	field := graphql.CollectedField{Field: &ast.Field{Alias: "broken"}}
	for range 2 {
		if _, err := Args(ctx, opCtx, field, nil, failing); err == nil {
			t.Fatal("want the parse error")
		}
	}
	if parses != 4 {
		t.Errorf("a failing parse ran %d times in all, want each occurrence to report its own error", parses-2)
	}
	// Without the extension every call parses.
	plainOp := &graphql.OperationContext{}
	plain := graphql.WithOperationContext(context.Background(), plainOp)
	for range 2 {
		_, _ = Args(plain, plainOp, graphql.CollectedField{Field: lang}, nil, parse)
	}
	if parses != 6 {
		t.Errorf("without a cache: %d parses, want 6", parses)
	}
}
