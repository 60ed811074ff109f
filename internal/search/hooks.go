package search

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/privacy"
)

// ixOf remembers the index (its dialect) of each registered client.
var ixOf sync.Map // *ent.Client -> index

// Register adds to client the hook that keeps search_documents in step
// with the searchable rows, in the transaction of each change. dia is the
// Ent dialect of the client's driver.
func Register(client *ent.Client, dia string) {
	ix := index{dialect: dia}
	client.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if loaders[m.Type()] == nil {
				return next.Mutate(ctx, m)
			}
			ids, err := targetIDs(ctx, m)
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if id, ok := createdID(v); ok {
				ids = append(ids, id)
			}
			c := m.(interface{ Client() *ent.Client }).Client()
			return v, ix.sync(ctx, c, m.Type(), ids, m.Op().Is(ent.OpDelete|ent.OpDeleteOne))
		})
	})
	ixOf.Store(client, ix)
}

// targetIDs returns the ids an update or delete changes, before it runs.
func targetIDs(ctx context.Context, m ent.Mutation) ([]int, error) {
	if m.Op().Is(ent.OpCreate) {
		return nil, nil
	}
	im, ok := m.(interface {
		IDs(context.Context) ([]int, error)
	})
	if !ok {
		return nil, fmt.Errorf("search: mutation %s has no IDs", m.Type())
	}
	return im.IDs(privacy.DecisionContext(ctx, privacy.Allow))
}

// createdID returns the id of a created row.
func createdID(v ent.Value) (int, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return 0, false
	}
	f := rv.Elem().FieldByName("ID")
	if !f.IsValid() || !f.CanInt() {
		return 0, false
	}
	return int(f.Int()), true
}

// sync rewrites (or, for deletes, removes) the documents of ids.
func (ix index) sync(ctx context.Context, c *ent.Client, kind Kind, ids []int, deleted bool) error {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	for _, id := range ids {
		if deleted {
			if err := ix.remove(ctx, c, id); err != nil {
				return fmt.Errorf("search: removing %s %d: %w", kind, id, err)
			}
			continue
		}
		if err := ix.reindex(ctx, c, kind, id); err != nil {
			return err
		}
		if err := ix.reindexDependents(ctx, c, kind, id); err != nil {
			return err
		}
	}
	return nil
}

// reindexDependents rewrites the documents that quote the row: a
// partnership's document holds its two municipalities' names.
func (ix index) reindexDependents(ctx context.Context, c *ent.Client, kind Kind, id int) error {
	if kind != ent.TypeMunicipality {
		return nil
	}
	ids, err := c.Partnership.Query().Where(partnership.Or(
		partnership.UkrainianMunicipalityID(id), partnership.EuropeanMunicipalityID(id))).IDs(ctx)
	if err != nil {
		return fmt.Errorf("search: partnerships of municipality %d: %w", id, err)
	}
	for _, pid := range ids {
		if err := ix.reindex(ctx, c, ent.TypePartnership, pid); err != nil {
			return err
		}
	}
	return nil
}

// reindex writes the document of one row.
func (ix index) reindex(ctx context.Context, c *ent.Client, kind Kind, id int) error {
	title, raw, err := loaders[kind](ctx, c, id)
	if ent.IsNotFound(err) {
		return ix.remove(ctx, c, id)
	}
	if err != nil {
		return fmt.Errorf("search: reading %s %d: %w", kind, id, err)
	}
	if err := ix.put(ctx, c, Document{ID: id, Kind: kind, Title: title, Text: IndexText(raw...)}); err != nil {
		return fmt.Errorf("search: indexing %s %d: %w", kind, id, err)
	}
	return nil
}
