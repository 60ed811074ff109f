// Package graph is the Hub's GraphQL layer: the hand-written parts of the
// schema (*.graphqls), their resolvers and the executable schema that gqlgen
// generates. Resolvers are thin: Ent and its privacy policies do the work.
package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/library"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/matchmaking/matchsql"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Resolver is the root of the resolvers and holds their dependencies.
type Resolver struct {
	client *ent.Client
	auth   *auth.Service
	feed   *live.Feed
	// matches answers matchSuggestions from an in-memory index.
	matches *matchsql.Cache
	// files stores the files of library documents.
	files *library.Files
}

// maxOverlaps is the default number of initiativeOverlaps answered.
const maxOverlaps = 100

// NewSchema returns the Hub's executable GraphQL schema over client, with
// authentication by authService, subscriptions fed by feed and the
// library's files kept by files.
func NewSchema(client *ent.Client, authService *auth.Service, feed *live.Feed, files *library.Files) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{Resolvers: &Resolver{client: client, auth: authService, feed: feed,
		matches: matchsql.NewCache(client, slog.Default()), files: files}})
}

// valueOr returns *p, or fallback when p is nil.
func valueOr[T any](p *T, fallback T) T {
	if p == nil {
		return fallback
	}
	return *p
}

// reloadViewer gives the rest of a mutation operation the viewer as the
// store now has it when the mutation changed the viewer's own account
// (role, or disabled: signed out).
func (r *Resolver) reloadViewer(ctx context.Context, userID int) error {
	v := viewer.FromContext(ctx)
	if v == nil || v.UserID != userID {
		return nil
	}
	fresh, err := r.auth.Reload(ctx, v)
	if err != nil {
		return err
	}
	viewer.Switch(ctx, fresh)
	return nil
}
