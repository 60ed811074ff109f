//go:build ignore

// Command entc generates the Hub's Ent client and the entgql GraphQL schema
// (graph/ent.graphqls) from ent/schema. Run it through `go generate ./...`.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"log"
	"os"
	"regexp"
	"slices"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("../gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("../graph/ent.graphqls"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(false),
		entgql.WithSchemaHook(dropLocalizedFields, dropFieldsResolvedByID),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	err = entc.Generate("./schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureIntercept,
			gen.FeatureVersionedMigration,
			gen.FeatureGlobalID,
			gen.FeatureUpsert,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
		},
		Hooks: []gen.Hook{fieldsResolvedByID},
	}, entc.Extensions(ex), withEntgqlFuncs("hub", "./template"), withEntgqlFuncs("entgql_overrides", "./entgqltemplate"))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
	for _, f := range generatedRewrites {
		if err := rewrite(f.path, f.rewrites, f.patterns); err != nil {
			log.Fatalf("rewriting entgql's output: %v", err)
		}
	}
}

// patternRewrite is a pattern that must match in a generated file, and its
// replacement (regexp.Expand syntax), for text that differs from type to
// type.
type patternRewrite struct {
	old *regexp.Regexp
	new string
}

// pageEdges is how entgql builds a connection's edges, an allocation and a
// cursor (an allocated slice of boxed values) per edge; and the Hub's
// version, which allocates the page's edges together and gives them
// cursors only where the operation selects them (pageCursorsOnly): the
// first and last edge always, for the page's PageInfo.
var pageEdges = patternRewrite{
	regexp.MustCompile(`\tc\.Edges = make\(\[\]\*(\w+)Edge, len\(nodes\)\)\n` +
		`\tfor i := range nodes \{\n\t\tnode := nodeAt\(i\)\n\t\tc\.Edges\[i\] = &\w+Edge\{\n` +
		`\t\t\tNode: +node,\n\t\t\tCursor: pager\.toCursor\(node\),\n\t\t\}\n\t\}\n`),
	"\tc.Edges = make([]*${1}Edge, len(nodes))\n" +
		"\tedges := make([]${1}Edge, len(nodes))\n" +
		"\tfor i := range nodes {\n\t\tnode := nodeAt(i)\n\t\tedges[i].Node = node\n" +
		"\t\tif !c.pageCursorsOnly || i == 0 || i == len(nodes)-1 {\n\t\t\tedges[i].Cursor = pager.toCursor(node)\n\t\t}\n" +
		"\t\tc.Edges[i] = &edges[i]\n\t}\n",
}

// connectionFields are the last field of a connection type as entgql
// writes it, and the Hub's flag after it (see pageCursorsOnly).
var connectionFields = patternRewrite{
	regexp.MustCompile("(?m)^(type \\w+Connection struct \\{\n(?:\t.*\n)*?\tTotalCount +int +`json:\"totalCount\"`\n)\\}"),
	"${1}\t// pageCursorsOnly leaves the cursors of the edges between the\n" +
		"\t// page's first and last out (see pageCursorsOnly).\n\tpageCursorsOnly bool\n}",
}

// textRewrite is an old text that must be in a generated file, and its
// replacement.
type textRewrite struct{ old, new string }

// collectThroughGqlexec points gqlgen's CollectFields, called as
// graphql.CollectFields(<opctx>, ...), at gqlexec.CollectFields, which
// keeps the fields collected for the query document across operations
// where gqlgen collects again for every operation.
func collectThroughGqlexec(opctx string) []textRewrite {
	return []textRewrite{
		{"graphql.CollectFields(" + opctx + ", ", "gqlexec.CollectFields(" + opctx + ", "},
		{"\t\"github.com/99designs/gqlgen/graphql\"\n", "\t\"github.com/99designs/gqlgen/graphql\"\n\t\"github.com/bridgesoftrust/hub/internal/gqlexec\"\n"},
	}
}

// collectedFieldByAlias is how entgql's pagination code walks a path of
// fields (edges, node) below a connection: by alias. collectedFieldByName
// hands the walk to fieldAt, which goes by field name.
const (
	collectedFieldByAlias = "\tfield := fc.Field\n\toc := graphql.GetOperationContext(ctx)\nwalk:\n\tfor _, name := range path {\n" +
		"\t\tfor _, f := range graphql.CollectFields(oc, field.Selections, nil) {\n\t\t\tif f.Alias == name {\n" +
		"\t\t\t\tfield = f\n\t\t\t\tcontinue walk\n\t\t\t}\n\t\t}\n\t\treturn nil\n\t}\n\treturn &field\n"
	collectedFieldByName = "\treturn fieldAt(graphql.GetOperationContext(ctx), fc.Field, path...)\n"
)

// generatedRewrites are the Hub's changes to entgql's output:
//   - The collection code loads the first pages of an edge for several
//     parents through entgql's LimitPerRow, which numbers every row of
//     every parent; it is pointed at the query's limitPerParent, which
//     reads each parent's page apart where that pays (ent/perparent.go).
//     A single parent's page (a node's) goes there too, where entgql
//     ordered and limited the query itself: a perParentPage reads it as a
//     plain page, counts it and can fold it into its parent's statement.
//   - The collection and pagination code collect fields through
//     gqlexec.CollectFields.
//   - A connection's edges are allocated together and get their cursors
//     only where the operation selects them (pageEdges).
//   - The pagination code finds a connection's edges, nodes, total and
//     page info by their field names, whatever their aliases (fieldAt):
//     entgql looked for the aliases, so that `e: edges` answered an empty
//     list and `t: totalCount` nought.
var generatedRewrites = []struct {
	path     string
	rewrites []textRewrite
	patterns []patternRewrite
}{
	{"gql_collection.go", append([]textRewrite{
		{"if oneNode {\n\t\t\t\t\tpager.applyOrder(query.Limit(limit))\n\t\t\t\t} else {\n", "{ // the page of a single parent too (perParentPage)\n"},
		{"modify := entgql.LimitPerRow(", "modify := query.limitPerParent("}},
		collectThroughGqlexec("opCtx")...), nil},
	{"gql_pagination.go", []textRewrite{{collectedFieldByAlias, collectedFieldByName}}, []patternRewrite{pageEdges, connectionFields}},
	{"gql_edge.go", []textRewrite{
		{"\t\tconn.build(nodes, pager, after, first, before, last)\n", "\t\tconn.pageCursorsOnly = pageCursorsOnly(ctx)\n\t\tconn.build(nodes, pager, after, first, before, last)\n"}}, nil},
}

// rewrite applies rewrites and patterns to the generated file at path.
func rewrite(path string, rewrites []textRewrite, patterns []patternRewrite) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, r := range rewrites {
		if !bytes.Contains(src, []byte(r.old)) {
			return fmt.Errorf("%s has no %q: entgql's output changed, review ent/entc.go", path, r.old)
		}
		src = bytes.ReplaceAll(src, []byte(r.old), []byte(r.new))
	}
	for _, p := range patterns {
		if !p.old.Match(src) {
			return fmt.Errorf("%s has no match of %s: entgql's output changed, review ent/entc.go", path, p.old)
		}
		src = p.old.ReplaceAll(src, []byte(p.new))
	}
	if src, err = format.Source(src); err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}

// dropLocalizedFields removes from the generated GraphQL types the fields
// annotated schema.Localized: a hand-written schema file declares them with
// a language argument (name(lang:) in graph/i18n.graphqls). Being fields of
// the type for entgql otherwise, they still select only their columns.
func dropLocalizedFields(g *gen.Graph, s *ast.Schema) error {
	for _, n := range g.Nodes {
		def := s.Types[n.Name]
		if def == nil {
			continue
		}
		for _, f := range n.Fields {
			if _, ok := f.Annotations["Localized"]; !ok {
				continue
			}
			name := gen.Funcs["camel"].(func(string) string)(f.Name)
			def.Fields = slices.DeleteFunc(def.Fields, func(d *ast.FieldDefinition) bool { return d.Name == name })
		}
	}
	return nil
}

// withEntgqlFuncs adds the templates of dir, parsed with entgql's template
// functions as well as Ent's: the Hub's query template (ent/template) asks
// which edges are Relay connections (isRelayConn), and the Hub's versions
// of entgql templates (ent/entgqltemplate), added after entgql's own,
// replace the templates of the same name.
func withEntgqlFuncs(name, dir string) entc.Option {
	return func(cfg *gen.Config) error {
		t, err := gen.NewTemplate(name).Funcs(entgql.TemplateFuncs).ParseDir(dir)
		if err != nil {
			return err
		}
		cfg.Templates = append(cfg.Templates, t)
		return nil
	}
}

// resolvedByID returns the fields that type n's schema.ResolvedByID
// annotation names.
func resolvedByID(n *gen.Type) []string {
	var ant struct {
		Fields []string `json:"fields"`
	}
	raw, ok := n.Annotations["ResolvedByID"]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil || json.Unmarshal(b, &ant) != nil {
		log.Fatalf("%s: malformed ResolvedByID annotation %v", n.Name, raw)
	}
	return ant.Fields
}

// fieldsResolvedByID adds the fields of each type's schema.ResolvedByID
// annotation to the GraphQL names of its id, which entgql's field
// collection reads: a query asking for them selects the id (always
// selected) rather than every column.
func fieldsResolvedByID(next gen.Generator) gen.Generator {
	return gen.GenerateFunc(func(g *gen.Graph) error {
		for _, n := range g.Nodes {
			fields := resolvedByID(n)
			if len(fields) == 0 || n.ID == nil {
				continue
			}
			if n.ID.Annotations == nil {
				n.ID.Annotations = gen.Annotations{}
			}
			ant := &entgql.Annotation{}
			if raw, ok := n.ID.Annotations[ant.Name()]; ok {
				if err := ant.Decode(raw); err != nil {
					return err
				}
			}
			ant.Mapping = append([]string{"id"}, fields...)
			// Templates read annotations as decoded JSON, as entc loads them.
			var decoded map[string]any
			if b, err := json.Marshal(ant); err != nil || json.Unmarshal(b, &decoded) != nil {
				return fmt.Errorf("%s: encoding the id's entgql annotation: %v", n.Name, err)
			}
			n.ID.Annotations[ant.Name()] = decoded
		}
		return next.Generate(g)
	})
}

// dropFieldsResolvedByID removes from the generated GraphQL types the
// fields of schema.ResolvedByID annotations, should entgql generate them
// as names of the id (fieldsResolvedByID): hand-written schema files
// declare them.
func dropFieldsResolvedByID(g *gen.Graph, s *ast.Schema) error {
	for _, n := range g.Nodes {
		def := s.Types[n.Name]
		if def == nil {
			continue
		}
		for _, name := range resolvedByID(n) {
			def.Fields = slices.DeleteFunc(def.Fields, func(d *ast.FieldDefinition) bool { return d.Name == name })
		}
	}
	return nil
}
