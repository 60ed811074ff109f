// Package limits bounds what one GraphQL request may ask of the Hub: the
// size of the query (tokens, selections), its depth and aliases, the page
// sizes of lists (first, last, ids) and its estimated cost. Each bound is
// enforced by a gqlgen handler extension and answered with a GraphQL error
// whose extensions.code names it (see internal/apierr), before any
// resolver runs.
//
// gqlgen and gqlparser have no depth, alias or selection limits and their
// complexity estimate ignores first/last, so the walkers here are written
// by hand; the cost itself is computed by gqlgen's own complexity walker
// over a schema wrapper that multiplies by the page size.
package limits

import (
	"context"
	"encoding/json"
	"math"

	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// Limits are the bounds on one request. A zero or negative value disables
// that bound; the server never configures one that way (see
// server.Config.Validate).
type Limits struct {
	// MaxTokens bounds the lexical tokens of the query document.
	MaxTokens int
	// MaxSelections bounds the fields, fragment spreads and inline
	// fragments written in the document. It keeps validation cheap:
	// gqlparser's overlapping-fields check is quadratic in them.
	MaxSelections int
	// MaxDepth bounds the nesting of fields, counted through fragments.
	// Introspection (__schema, __type) is bounded by gqlparser instead.
	MaxDepth int
	// MaxAliases bounds the aliased fields written in the document.
	MaxAliases int
	// MaxComplexity bounds the estimated cost: one per field, with the
	// cost of a list field's selection multiplied by its page size. A
	// request's context may raise or lower it (WithMaxComplexity).
	MaxComplexity int
	// MaxPageSize bounds first, last and the length of ids. A request's
	// context may raise or lower it (WithMaxPageSize).
	MaxPageSize int
	// MaxListItems bounds the items of any list in the arguments (an idIn
	// filter, the ids to add to an edge...), checked by Input.
	MaxListItems int
	// MaxInputValues bounds the values in all the arguments of a request
	// together (every list item, input field and scalar), so that lists
	// split over many filters cannot add up to statements the databases
	// refuse (SQLite takes at most 32,766 parameters, PostgreSQL 65,535).
	MaxInputValues int
	// MaxStringBytes bounds every string in the arguments; the schema's
	// fields have their own, mostly smaller, maximum lengths.
	MaxStringBytes int
}

// Defaults of the input caps, which the server's configuration starts
// from (see server.DefaultConfig).
const (
	// DefaultMaxListItems is the default MaxListItems.
	DefaultMaxListItems = 1000
	// DefaultMaxInputValues is the default MaxInputValues.
	DefaultMaxInputValues = 10_000
	// DefaultMaxStringBytes is the default MaxStringBytes: above every
	// maximum length of a field that the API's inputs set (the longest is
	// a news body's 50,000 bytes; ent/schema's tests check).
	DefaultMaxStringBytes = 100_000
)

func init() {
	// Limit errors are request errors, like parse and validation errors:
	// the operation did not run, and HTTP answers 4xx rather than 200.
	// (The kind matters only for errors raised before an operation runs;
	// a resolver's BAD_USER_INPUT is still answered with 200.)
	for _, code := range []string{
		apierr.QueryTooLarge, apierr.QueryTooDeep, apierr.TooManyAliases,
		apierr.QueryTooComplex, apierr.PageSizeExceeded,
		apierr.BadRequest, apierr.IntrospectionDisabled, apierr.BadUserInput,
	} {
		errcode.RegisterErrorType(code, errcode.KindProtocol)
	}
}

type pageSizeKey struct{}

type complexityKey struct{}

// WithMaxPageSize returns a context in which requests may ask for pages of
// up to n items, e.g. for an API key allowed bulk reads.
func WithMaxPageSize(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, pageSizeKey{}, n)
}

// WithMaxComplexity returns a context in which requests may cost up to n.
func WithMaxComplexity(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, complexityKey{}, n)
}

// MaxPageSize returns the page size limit in force for ctx: the one set by
// WithMaxPageSize, else def.
func MaxPageSize(ctx context.Context, def int) int {
	if n, ok := ctx.Value(pageSizeKey{}).(int); ok {
		return n
	}
	return def
}

// MaxComplexity returns the complexity limit in force for ctx: the one set
// by WithMaxComplexity, else def.
func MaxComplexity(ctx context.Context, def int) int {
	if n, ok := ctx.Value(complexityKey{}).(int); ok {
		return n
	}
	return def
}

// refuse returns a GraphQL request error with code.
func refuse(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}

// exceeds reports whether n is over a limit that is in force.
func exceeds(n, limit int) bool { return limit > 0 && n > limit }

// add is a saturating addition of non-negative counts.
func add(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

// mul is a saturating multiplication of non-negative counts.
func mul(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

// toInt reads an integer argument value as gqlparser or a JSON decoder
// hands it over.
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return clamp(n), true
	case float64:
		return clamp(int64(n)), true
	case json.Number:
		i, err := n.Int64()
		return clamp(i), err == nil
	case *int:
		if n != nil {
			return *n, true
		}
	}
	return 0, false
}

// clamp converts n to int, saturating on 32-bit platforms.
func clamp(n int64) int {
	if n > math.MaxInt {
		return math.MaxInt
	}
	if n < math.MinInt {
		return math.MinInt
	}
	return int(n)
}
