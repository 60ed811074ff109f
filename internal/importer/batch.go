package importer

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/bridgesoftrust/hub/ent"
)

// maxParams bounds the bind parameters of one statement. PostgreSQL allows
// 65,535 and SQLite 32,766; staying under both keeps one code path.
const maxParams = 30000

// progressEvery is how many rows pass between two progress log lines.
const progressEvery = 10000

// BatchSize returns how many rows of a table with the given number of
// columns fit in one INSERT under the bind-parameter limit.
func BatchSize(columns int) int { return max(1, maxParams/max(1, columns)) }

// InBatches calls save with consecutive slices of items, each small enough
// for one INSERT into a table with the given number of columns (for
// example len(municipality.Columns)), and logs progress every 10,000 rows.
func InBatches[T any](ctx context.Context, logger *slog.Logger, what string, items []T, columns int, save func(context.Context, []T) error) error {
	size := BatchSize(columns)
	next := progressEvery
	for start := 0; start < len(items); start += size {
		end := min(start+size, len(items))
		if err := save(ctx, items[start:end]); err != nil {
			return fmt.Errorf("saving %s %d-%d of %d: %w", what, start+1, end, len(items), err)
		}
		if end >= next || (end == len(items) && len(items) >= progressEvery) {
			logger.Info("progress", "what", what, "done", end, "total", len(items))
			for next <= end {
				next += progressEvery
			}
		}
	}
	return nil
}

// chunks splits items into slices of at most size elements.
func chunks[T any](items []T, size int) [][]T {
	var out [][]T
	for start := 0; start < len(items); start += size {
		out = append(out, items[start:min(start+size, len(items))])
	}
	return out
}

// WithTx runs fn in a transaction on client and commits when fn succeeds;
// otherwise it rolls back and returns fn's error. client must not be a
// transactional client already.
func WithTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Client) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	if err := fn(tx.Client()); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rolling back: %v)", err, rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// cleanName trims a name and collapses runs of white space to one space.
func cleanName(s string) string { return strings.Join(strings.Fields(s), " ") }

// sortedStrings sorts list in place and returns it.
func sortedStrings(list []string) []string {
	slices.Sort(list)
	return list
}
