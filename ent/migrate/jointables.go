package migrate

import "entgo.io/ent/dialect/sql/schema"

// Ent gives each many-to-many join table only its primary key (first id,
// second id), so a lookup from the second side (an association's
// partnerships are found by association; a partnership's facilitators by
// partnership) scans the whole table. This file, not generated, gives every
// join table an index on its second column too; the migrations and the
// schema-drift test (internal/db) see it like any Ent index.
func init() {
	for _, t := range Tables {
		if isJoinTable(t) {
			second := t.PrimaryKey[1]
			t.Indexes = append(t.Indexes, &schema.Index{Name: t.Name + "_" + second.Name, Columns: []*schema.Column{second}})
		}
	}
}

// isJoinTable reports whether t is a join table of a many-to-many edge:
// two columns that are its primary key.
func isJoinTable(t *schema.Table) bool {
	return len(t.Columns) == 2 && len(t.PrimaryKey) == 2 && len(t.Indexes) == 0
}
