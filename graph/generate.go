package graph

// Runs after ent's generation (go generate visits ./ent before ./graph):
// gqlgen reads the entgql schema that entc wrote to graph/ent.graphqls.
// graph/codegen runs gqlgen with the Hub's lean executor settings.
//go:generate go -C .. run ./graph/codegen
