// Package export streams the Hub's lists (partnerships, municipalities,
// projects, activities) as CSV, newline-delimited JSON or GeoJSON, for
// spreadsheets and maps: over HTTP at /export/{list}.{format} and with
// `hub export`.
//
// An export reads the rows the viewer may read (the same privacy rules as
// the API), selected by the API's where input given as JSON, in one
// read-only transaction, so it is one consistent snapshot however long it
// streams (REPEATABLE READ on PostgreSQL; SQLite's transactions are
// snapshots, from their first read). Rows are read by one statement and
// written as the driver reads them: the memory an export takes does not
// grow with its rows.
package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/bridgesoftrust/hub/ent"
)

// progressEvery is how many rows are written between two reports of
// progress.
const progressEvery = 10000

// Request names an export: the list, the format and the API's where input
// as JSON (empty for every row).
type Request struct {
	Dataset string
	Format  string
	Where   string
}

// RequestError is a request the Hub cannot export: an unknown list or
// format, or a where input that does not decode. Its message is safe to
// show.
type RequestError struct{ msg string }

func (e *RequestError) Error() string { return e.msg }

// ParseFile reads "partnerships.csv" into a request's list and format.
func ParseFile(file string) (Request, error) {
	name, format, ok := strings.Cut(file, ".")
	if !ok {
		return Request{}, &RequestError{fmt.Sprintf("%q: expected LIST.FORMAT, e.g. partnerships.csv", file)}
	}
	return Request{Dataset: name, Format: format}, nil
}

// Export is an export ready to stream: its request was checked and its
// snapshot taken. Close it when done.
type Export struct {
	tx     *ent.Tx
	req    Request
	set    dataset
	query  opened
	runner runner
}

// Open checks req and opens its snapshot on client, with the viewer of
// ctx. dialectName is the store's (for the isolation level).
func Open(ctx context.Context, client *ent.Client, dialectName string, req Request) (*Export, error) {
	set, ok := datasets[req.Dataset]
	if !ok {
		return nil, &RequestError{fmt.Sprintf("unknown list %q: expected one of %s", req.Dataset, strings.Join(Datasets(), ", "))}
	}
	if _, ok := Formats[req.Format]; !ok {
		return nil, &RequestError{fmt.Sprintf("unknown format %q: expected csv, ndjson or geojson", req.Format)}
	}
	// Read-only, an export takes no write lock on SQLite (its store
	// begins other transactions IMMEDIATE), so writers do not wait for it.
	opts := &sql.TxOptions{ReadOnly: true}
	if dialectName == dialect.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := client.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	query, err := set.open(ctx, tx.Client(), req.Where)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return &Export{tx: tx, req: req, set: set, query: query, runner: runner{client: tx.Client(), dialect: dialectName}}, nil
}

// Close ends the snapshot.
func (e *Export) Close() error { return e.tx.Rollback() }

// Count returns how many rows the export holds.
func (e *Export) Count(ctx context.Context) (int, error) { return e.query.count(ctx) }

// WriteTo streams every row to out in the export's format; done, if not
// nil, is told how many rows were written every progressEvery rows and
// at the end.
func (e *Export) WriteTo(ctx context.Context, out io.Writer, done func(rows int)) error {
	if done == nil {
		done = func(int) {}
	}
	w := newWriter(e.req.Format, out, layout{columns: e.set.columns(), kinds: e.set.kinds(), points: len(e.set.points)})
	if err := w.begin(); err != nil {
		return err
	}
	query, args := exportStatement(e.query.base, e.set)
	rows, err := e.runner.query(ctx, query, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	row, dest := newRow(len(e.set.fields) + 2*len(e.set.points))
	n := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := w.write(row); err != nil {
			return err
		}
		if n++; n%progressEvery == 0 {
			done(n)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	done(n)
	return w.end()
}

// newRow returns the n cells of a row and the pointers to them that
// rows.Scan fills.
func newRow(n int) ([]cell, []any) {
	row := make([]cell, n)
	dest := make([]any, n)
	for i := range row {
		dest[i] = &row[i]
	}
	return row, dest
}

// IsRequestError reports whether err is the caller's: a bad list, format
// or where input.
func IsRequestError(err error) bool {
	var re *RequestError
	return errors.As(err, &re)
}

// ContentType returns the media type of a format.
func ContentType(format string) string { return Formats[format] }
