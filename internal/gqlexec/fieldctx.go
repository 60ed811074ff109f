package gqlexec

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// fieldScope is a context that carries a field context, as
// graphql.WithFieldContext makes one, but as a value the caller places:
// the elements of a list get theirs in one allocation for the whole list
// (see MarshalSlice) rather than a context, a field context and an index
// each. graphql.GetFieldContext finds the field context in it as in
// gqlgen's own.
type fieldScope struct {
	context.Context
	fc *graphql.FieldContext
}

// Value returns the scope's field context under gqlgen's key, and looks
// other keys up in the parent.
func (s *fieldScope) Value(key any) any {
	if key == fieldContextKey {
		return s.fc
	}
	return s.Context.Value(key)
}

// fieldContextKey is the key under which gqlgen keeps a field context in a
// context. gqlgen does not export it; graphql.GetFieldContext names it when
// it looks it up, which keyRecorder notes once.
var fieldContextKey = func() any {
	r := &keyRecorder{Context: context.Background()}
	graphql.GetFieldContext(r)
	return r.key
}()

// keyRecorder is a context that notes the key it is asked for.
type keyRecorder struct {
	context.Context
	key any
}

// Value notes key and finds nothing.
func (r *keyRecorder) Value(key any) any {
	r.key = key
	return nil
}
