package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// boundedCache is gqlgen's LRU cache that ignores entries for queries
// longer than maxCachedQuery, so that size x entries bounds its memory.
type boundedCache[T any] struct {
	lru *lru.LRU[T]
}

var _ graphql.Cache[string] = boundedCache[string]{}

// newCache returns a bounded LRU cache of size entries.
func newCache[T any](size int) boundedCache[T] {
	return boundedCache[T]{lru: lru.New[T](size)}
}

// Get implements graphql.Cache.
func (c boundedCache[T]) Get(ctx context.Context, key string) (T, bool) {
	return c.lru.Get(ctx, key)
}

// Add implements graphql.Cache. For the query cache the key is the query;
// for the APQ cache the value is.
func (c boundedCache[T]) Add(ctx context.Context, key string, value T) {
	if len(key) > maxCachedQuery {
		return
	}
	if s, ok := any(value).(string); ok && len(s) > maxCachedQuery {
		return
	}
	c.lru.Add(ctx, key, value)
}
