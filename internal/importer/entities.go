package importer

import "context"

// outcome is what happened to one entity during an import.
type outcome int

const (
	found outcome = iota + 1
	created
	updated
)

// Counts tallies what happened to the entities of one type.
type Counts struct {
	// Created counts entities that did not exist and were created.
	Created int
	// Updated counts existing entities that were changed.
	Updated int
	// Unchanged counts existing entities that were found as they were.
	Unchanged int
}

// Total is the number of distinct entities counted.
func (c Counts) Total() int { return c.Created + c.Updated + c.Unchanged }

// entities caches the rows of one entity type by natural key and records
// what happened to each key that was asked for.
type entities[K comparable, E any] struct {
	byKey   map[K]*E
	outcome map[K]outcome
}

func newEntities[K comparable, E any]() *entities[K, E] {
	return &entities[K, E]{byKey: map[K]*E{}, outcome: map[K]outcome{}}
}

// get returns the cached entity with key k, or nil.
func (es *entities[K, E]) get(k K) *E { return es.byKey[k] }

// put caches e under its key.
func (es *entities[K, E]) put(k K, e *E) { es.byKey[k] = e }

// uncached returns the keys that are not in the cache.
func (es *entities[K, E]) uncached(keys []K) []K {
	var out []K
	for _, k := range keys {
		if es.byKey[k] == nil {
			out = append(out, k)
		}
	}
	return out
}

// note records what happened to k; a creation or an update is never
// overwritten by a later plain find.
func (es *entities[K, E]) note(k K, o outcome) {
	if es.outcome[k] == 0 || o == updated && es.outcome[k] == found {
		es.outcome[k] = o
	}
}

// counts tallies the recorded outcomes.
func (es *entities[K, E]) counts() Counts {
	var c Counts
	for _, o := range es.outcome {
		switch o {
		case created:
			c.Created++
		case updated:
			c.Updated++
		case found:
			c.Unchanged++
		}
	}
	return c
}

// finder loads the stored entities with the given keys.
type finder[K comparable, E any] func(ctx context.Context, keys []K) ([]*E, error)

// load caches the stored entities among keys that are not cached yet.
func (es *entities[K, E]) load(ctx context.Context, keys []K, find finder[K, E], keyOf func(*E) K) error {
	missing := es.uncached(keys)
	if len(missing) == 0 {
		return nil
	}
	list, err := find(ctx, missing)
	if err != nil {
		return err
	}
	for _, e := range list {
		es.put(keyOf(e), e)
	}
	return nil
}

// ensure makes sure an entity exists for every key: it loads the stored
// ones and creates the rest with create, recording which was which.
func (es *entities[K, E]) ensure(ctx context.Context, keys []K, find finder[K, E], keyOf func(*E) K, create finder[K, E]) error {
	if err := es.load(ctx, keys, find, keyOf); err != nil {
		return err
	}
	missing := es.uncached(keys)
	for _, k := range keys {
		if es.byKey[k] != nil {
			es.note(k, found)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	made, err := create(ctx, missing)
	if err != nil {
		return err
	}
	for _, e := range made {
		k := keyOf(e)
		es.put(k, e)
		es.note(k, created)
	}
	return nil
}

// distinct returns the distinct keys of specs in their first order and the
// first spec for each key.
func distinct[K comparable, S any](specs []S, key func(S) K) ([]K, map[K]S) {
	keys := make([]K, 0, len(specs))
	byKey := make(map[K]S, len(specs))
	for _, s := range specs {
		k := key(s)
		if _, seen := byKey[k]; !seen {
			byKey[k] = s
			keys = append(keys, k)
		}
	}
	return keys, byKey
}
