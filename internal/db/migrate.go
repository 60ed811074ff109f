package db

import "context"

// Migrate brings the store's schema up to date.
//
// Placeholder until versioned migrations land: it creates the schema
// straight from Ent.
func Migrate(ctx context.Context, s *Store) error {
	return s.Client.Schema.Create(ctx)
}
