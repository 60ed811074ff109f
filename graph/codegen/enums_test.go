package main

import (
	"strings"
	"testing"
)

// TestEntEnumsRewritesOnlyQuotedEnums checks that the marshaller of an Ent
// enum that marshals as its quoted value is pointed at gqlexec.Enum, and
// that one of a type outside Ent's packages is left alone.
func TestEntEnumsRewritesOnlyQuotedEnums(t *testing.T) {
	t.Chdir("../..")
	const status = "func (ec *executionContext) marshalNPartnershipStatus2ᚐStatus(ctx context.Context, sel ast.SelectionSet, v partnership.Status) graphql.Marshaler {\n\treturn v\n}"
	const grouping = "func (ec *executionContext) marshalNForumGrouping2ᚐForumGrouping(ctx context.Context, sel ast.SelectionSet, v model.ForumGrouping) graphql.Marshaler {\n\treturn v\n}"
	out, err := entEnums([]byte(status + "\n\n" + grouping + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	if !strings.Contains(got, "v partnership.Status) graphql.Marshaler {\n\treturn gqlexec.Enum(string(v))\n}") {
		t.Errorf("the partnership status still marshals itself:\n%s", got)
	}
	if !strings.Contains(got, grouping) {
		t.Errorf("a type outside Ent's packages was rewritten:\n%s", got)
	}
	if quoted, err := marshalsQuoted("partnership", "OrderField"); err != nil || quoted {
		t.Errorf("a type that is not an enum counts as one (%v, %v)", quoted, err)
	}
}
