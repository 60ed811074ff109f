package db

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/lib/pq"
)

// list returns `$from, ..., $from+n-1` and n values from value(0) on.
func list[T any](from, n int, value func(int) T) (string, []any, []T) {
	marks, args, values := make([]string, n), make([]any, n), make([]T, n)
	for i := range n {
		marks[i], args[i], values[i] = "$"+strconv.Itoa(from+i), value(i), value(i)
	}
	return strings.Join(marks, ", "), args, values
}

// TestCollapseInLists checks the lists that become one array parameter,
// the numbering of the parameters around them, and the statements left
// alone.
func TestCollapseInLists(t *testing.T) {
	const n = minCollapsedList
	ids, idArgs, idValues := list(1, n, func(i int) int64 { return int64(i) })
	afterIDs, moreArgs, moreValues := list(n+2, n, func(i int) int64 { return int64(1000 + i) })
	names, nameArgs, nameValues := list(2*n+2, n, func(i int) string { return "s" + strconv.Itoa(i) })
	short, shortArgs, _ := list(3*n+2, 3, func(i int) int { return i })
	mixed, mixedArgs, _ := list(1, n, func(i int) any {
		if i == 0 {
			return "first"
		}
		return i
	})
	for _, c := range []struct {
		name      string
		query     string
		args      []any
		wantQuery string
		wantArgs  []any
	}{
		{
			name:      "ids between other parameters",
			query:     `SELECT "id" FROM "projects" WHERE "projects"."partnership_id" IN (` + ids + `) AND "projects"."status" <> $` + strconv.Itoa(n+1) + ` LIMIT $` + strconv.Itoa(n+2),
			args:      append(idArgs, "CONCEPT", 6),
			wantQuery: `SELECT "id" FROM "projects" WHERE "projects"."partnership_id" = ANY($1) AND "projects"."status" <> $2 LIMIT $3`,
			wantArgs:  []any{pq.Int64Array(idValues), "CONCEPT", 6},
		},
		{
			name:      "two lists, a NOT IN of strings, a short list kept and numbered again",
			query:     `SELECT * FROM "t" WHERE ("u" IN (` + ids + `) OR "a" = $` + strconv.Itoa(n+1) + ` OR "e" IN (` + afterIDs + `)) AND "s" NOT IN (` + names + `) AND "k" IN (` + short + `)`,
			args:      append(append(append(append(idArgs[:n:n], 7), moreArgs...), nameArgs...), shortArgs...),
			wantQuery: `SELECT * FROM "t" WHERE ("u" = ANY($1) OR "a" = $2 OR "e" = ANY($3)) AND "s" <> ALL($4) AND "k" IN ($5, $6, $7)`,
			wantArgs:  append([]any{pq.Int64Array(idValues), 7, pq.Int64Array(moreValues), pq.StringArray(nameValues)}, shortArgs...),
		},
		{
			name:      "mixed values stay a list",
			query:     `SELECT * FROM "t" WHERE "a" IN (` + mixed + `)`,
			args:      mixedArgs,
			wantQuery: `SELECT * FROM "t" WHERE "a" IN (` + mixed + `)`,
			wantArgs:  mixedArgs,
		},
		{
			name:      "literals and identifiers are not read",
			query:     `SELECT 'x IN ($9)' AS " IN ($1" FROM "t" WHERE "a" IN (` + ids + `)`,
			args:      idArgs,
			wantQuery: `SELECT 'x IN ($9)' AS " IN ($1" FROM "t" WHERE "a" = ANY($1)`,
			wantArgs:  []any{pq.Int64Array(idValues)},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, args := collapseInLists(c.query, c.args)
			if q != c.wantQuery || !reflect.DeepEqual(args, c.wantArgs) {
				t.Errorf("got\n%s %#v\nwant\n%s %#v", q, args, c.wantQuery, c.wantArgs)
			}
		})
	}
	for _, c := range []struct {
		name  string
		query string
		args  []any
	}{
		{"no list", `SELECT * FROM "t" WHERE "a" = $1`, []any{1}},
		{"a parameter used twice", `SELECT * FROM "t" WHERE "a" IN (` + ids + `) OR "b" = $1`, idArgs},
		{"parameters out of order", `SELECT * FROM "t" WHERE "b" = $` + strconv.Itoa(n+1) + ` AND "a" IN (` + ids + `)`, append(idArgs[:n:n], 0)},
		{"a list not of consecutive parameters", `SELECT * FROM "t" WHERE "a" IN (` + strings.Replace(ids, "$2,", "$3,", 1) + `)`, idArgs},
		{"fewer arguments than parameters", `SELECT * FROM "t" WHERE "a" IN (` + ids + `)`, idArgs[:n-1]},
		{"more arguments than parameters", `SELECT * FROM "t" WHERE "a" IN (` + ids + `)`, append(idArgs[:n:n], 0)},
		{"an unterminated literal", `SELECT * FROM "t" WHERE "a" IN (` + ids + `) AND 'x`, idArgs},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, args := collapseInLists(c.query, c.args)
			if q != c.query || !reflect.DeepEqual(args, c.args) {
				t.Errorf("rewrote %s into %s %#v, want it unchanged", c.query, q, args)
			}
		})
	}
}
