//go:build ignore

// Command entc generates the Hub's Ent client and the entgql GraphQL schema
// (graph/ent.graphqls) from ent/schema. Run it through `go generate ./...`.
package main

import (
	"log"
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
		entgql.WithSchemaHook(dropLocalizedFields),
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
	}, entc.Extensions(ex), entc.TemplateDir("./template"), entgqlOverrides)
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
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

// entgqlOverrides adds the Hub's versions of entgql templates (ent/entgqltemplate),
// parsed with entgql's template functions. Added after entgql's own, they
// replace the templates of the same name.
func entgqlOverrides(cfg *gen.Config) error {
	t, err := gen.NewTemplate("entgql_overrides").Funcs(entgql.TemplateFuncs).ParseDir("./entgqltemplate")
	if err != nil {
		return err
	}
	cfg.Templates = append(cfg.Templates, t)
	return nil
}
