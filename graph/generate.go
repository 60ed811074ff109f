package graph

// Runs after ent's generation (go generate visits ./ent before ./graph):
// gqlgen reads the entgql schema that entc wrote to graph/ent.graphqls.
//go:generate go -C .. tool gqlgen generate --config gqlgen.yml
