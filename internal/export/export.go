// Package export streams the Hub's lists (partnerships, municipalities,
// projects, activities) as CSV, newline-delimited JSON or GeoJSON, for
// spreadsheets and maps: over HTTP at /export/{list}.{format} and with
// `hub export`.
//
// An export reads the rows the viewer may read (the same privacy rules as
// the API), selected by the API's where input given as JSON, in one
// read-only transaction, so it is one consistent snapshot however long it
// streams (REPEATABLE READ on PostgreSQL; SQLite's transactions are
// snapshots). Rows are read by pages of ids and written as they come: the
// memory an export takes does not grow with its rows.
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

// pageSize is how many rows are read per statement.
const pageSize = 1000

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
	tx      *ent.Tx
	req     Request
	columns []string
	src     source
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
	var opts *sql.TxOptions
	if dialectName == dialect.Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := client.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	src, err := set.open(tx.Client(), req.Where)
	if err != nil {
		_ = tx.Rollback()
		return nil, &RequestError{err.Error()}
	}
	return &Export{tx: tx, req: req, columns: set.columns, src: src}, nil
}

// Close ends the snapshot.
func (e *Export) Close() error { return e.tx.Rollback() }

// Count returns how many rows the export holds.
func (e *Export) Count(ctx context.Context) (int, error) { return e.src.count(ctx) }

// WriteTo streams every row to out in the export's format; done, if not
// nil, is told how many rows were written after each page.
func (e *Export) WriteTo(ctx context.Context, out io.Writer, done func(rows int)) error {
	w := newWriter(e.req.Format, out, e.columns)
	if err := w.begin(); err != nil {
		return err
	}
	after, written := 0, 0
	for {
		rows, err := e.src.page(ctx, after, pageSize)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := w.write(r); err != nil {
				return err
			}
		}
		written += len(rows)
		if done != nil {
			done(written)
		}
		if len(rows) < pageSize {
			return w.end()
		}
		after = rows[len(rows)-1].id
	}
}

// IsRequestError reports whether err is the caller's: a bad list, format
// or where input.
func IsRequestError(err error) bool {
	var re *RequestError
	return errors.As(err, &re)
}

// ContentType returns the media type of a format.
func ContentType(format string) string { return Formats[format] }
