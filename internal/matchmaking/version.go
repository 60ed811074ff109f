package matchmaking

import "context"

type bumpKey struct{}

// WithoutVersionBump marks ctx as a bulk load that raises the version of
// the matchmaking data once itself, at its end, rather than once per
// change (see the MatchState schema).
func WithoutVersionBump(ctx context.Context) context.Context {
	return context.WithValue(ctx, bumpKey{}, true)
}

// VersionBumpSkipped reports whether ctx was marked by WithoutVersionBump.
func VersionBumpSkipped(ctx context.Context) bool {
	skip, _ := ctx.Value(bumpKey{}).(bool)
	return skip
}
