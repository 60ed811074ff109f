// Package model holds GraphQL types that gqlgen generates for the parts of
// the schema that are not Ent entities.
package model
