package db

import (
	"context"
	stdsql "database/sql"
	"regexp"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/internal/collation"
)

// Ent writes its case-insensitive predicates (EqualFold, ContainsFold,
// HasPrefixFold...) as `"t"."c" ILIKE $1` on PostgreSQL and as
// LOWER(`t`.`c`) LIKE ? or LOWER(`t`.`c`) = ? on SQLite, with the value
// lower-cased in Go. Neither ignores diacritics, and SQLite's LOWER knows
// only ASCII. Ent offers no hook to change how a predicate is written, and
// the where inputs of entgql call these predicates directly, so the
// store's driver rewrites exactly these shapes to compare the folded forms
// of both sides: hub_fold(col) LIKE hub_fold(value), the same function
// (internal/collation) on both stores.
var (
	pgFold     = regexp.MustCompile(`((?:"[^"]+"\.)?"[^"]+") ILIKE (\$\d+)`)
	sqliteFold = regexp.MustCompile("LOWER\\(((?:`[^`]+`\\.)?`[^`]+`)\\) (LIKE|=) \\?")
)

// FoldQuery rewrites the case-insensitive comparisons of an Ent query into
// comparisons of hub_fold on both sides. The store's driver does it for
// the statements Ent runs; a statement built from Ent's predicates and run
// as a raw query (Ent's QueryContext, which runs its text unchanged) must
// go through it to compare as the API does.
func FoldQuery(dia, query string) string {
	switch {
	case dia == dialect.Postgres && strings.Contains(query, " ILIKE "):
		return pgFold.ReplaceAllString(query, collation.FoldFunc+"(${1}) LIKE "+collation.FoldFunc+"(${2})")
	case dia == dialect.SQLite && strings.Contains(query, "LOWER("):
		return sqliteFold.ReplaceAllString(query, collation.FoldFunc+"(${1}) ${2} "+collation.FoldFunc+"(?)")
	}
	return query
}

// rawExecer and rawQueryer run raw statements (Ent's FeatureExecQuery):
// the Ent drivers and transactions of the store have both.
type (
	rawExecer interface {
		ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
	}
	rawQueryer interface {
		QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
	}
	// txBeginner starts a transaction with options.
	txBeginner interface {
		BeginTx(ctx context.Context, opts *stdsql.TxOptions) (dialect.Tx, error)
	}
)

// beginWith starts a transaction on drv with opts if drv takes options.
func beginWith(ctx context.Context, drv dialect.Driver, opts *stdsql.TxOptions) (dialect.Tx, error) {
	if b, ok := drv.(txBeginner); ok {
		return b.BeginTx(ctx, opts)
	}
	return drv.Tx(ctx)
}

// foldingDriver rewrites the queries Ent builds (see rewriteQuery).
type foldingDriver struct{ dialect.Driver }

// Exec implements dialect.Driver.
func (d foldingDriver) Exec(ctx context.Context, query string, args, v any) error {
	return d.Driver.Exec(ctx, FoldQuery(d.Dialect(), query), args, v)
}

// Query implements dialect.Driver.
func (d foldingDriver) Query(ctx context.Context, query string, args, v any) error {
	query, args = rewriteQuery(d.Dialect(), query, args)
	return d.Driver.Query(ctx, query, args, v)
}

// rewriteQuery is what the store's driver does to a query Ent built:
// FoldQuery, and on PostgreSQL collapseInLists.
func rewriteQuery(dia, query string, args any) (string, any) {
	query = FoldQuery(dia, query)
	if list, ok := args.([]any); ok && dia == dialect.Postgres {
		return collapseInLists(query, list)
	}
	return query, args
}

// Tx implements dialect.Driver.
func (d foldingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	return d.BeginTx(ctx, nil)
}

// BeginTx starts a transaction whose queries are rewritten too (Ent calls
// it when the driver has it, for transaction options).
func (d foldingDriver) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (dialect.Tx, error) {
	tx, err := beginWith(ctx, d.Driver, opts)
	if err != nil {
		return nil, err
	}
	return foldingTx{Tx: tx, dialect: d.Dialect()}, nil
}

// ExecContext runs a raw statement (Ent's FeatureExecQuery) unchanged.
func (d foldingDriver) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	return d.Driver.(rawExecer).ExecContext(ctx, query, args...)
}

// QueryContext runs a raw query (Ent's FeatureExecQuery) unchanged.
func (d foldingDriver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	return d.Driver.(rawQueryer).QueryContext(ctx, query, args...)
}

// foldingTx is a transaction of foldingDriver.
type foldingTx struct {
	dialect.Tx
	dialect string
}

// Exec implements dialect.Tx.
func (t foldingTx) Exec(ctx context.Context, query string, args, v any) error {
	return t.Tx.Exec(ctx, FoldQuery(t.dialect, query), args, v)
}

// Query implements dialect.Tx.
func (t foldingTx) Query(ctx context.Context, query string, args, v any) error {
	query, args = rewriteQuery(t.dialect, query, args)
	return t.Tx.Query(ctx, query, args, v)
}

// ExecContext runs a raw statement in the transaction unchanged.
func (t foldingTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	return t.Tx.(rawExecer).ExecContext(ctx, query, args...)
}

// QueryContext runs a raw query in the transaction unchanged.
func (t foldingTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	return t.Tx.(rawQueryer).QueryContext(ctx, query, args...)
}
