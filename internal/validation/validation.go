// Package validation carries the Hub's input errors from the data layer to
// the API: an error that names the field at fault, which the GraphQL layer
// answers with extensions.code BAD_USER_INPUT.
package validation

import (
	"context"
	"fmt"
)

// FieldError says that the value of one input field is not acceptable.
type FieldError struct {
	// Field is the name of the field at fault, as in the schema (snake_case).
	Field string
	// Err explains what is wrong with the value.
	Err error
}

// Error implements error.
func (e *FieldError) Error() string { return fmt.Sprintf("%s: %v", e.Field, e.Err) }

// Unwrap returns the underlying reason.
func (e *FieldError) Unwrap() error { return e.Err }

// Errorf builds a FieldError for field with a formatted reason.
func Errorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

type batchCheckedKey struct{}

// WithBatchChecked marks ctx as belonging to a bulk writer that has checked
// the cross-row rules of its whole batch itself (the importer), so that
// per-row hooks may skip their lookups. Field validators still run.
func WithBatchChecked(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchCheckedKey{}, true)
}

// BatchChecked reports whether ctx was marked by WithBatchChecked.
func BatchChecked(ctx context.Context) bool {
	checked, _ := ctx.Value(batchCheckedKey{}).(bool)
	return checked
}
