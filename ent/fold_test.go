package ent

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// TestScanJSONAsTheDriver checks that a folded page's JSON values scan into
// the holders of Ent's fields as PostgreSQL's driver values of the same
// columns would: numbers from their text (an integer beyond a float's
// precision, a float in exponent form), strings, booleans, timestamps with
// and without a time zone, dates, JSON as its text, and NULL.
func TestScanJSONAsTheDriver(t *testing.T) {
	var (
		id      sql.NullInt64
		budget  sql.NullFloat64
		title   sql.NullString
		public  sql.NullBool
		created sql.NullTime
		local   sql.NullTime
		day     sql.NullTime
		summary []byte
		missing sql.NullString
	)
	cases := []struct {
		holder any
		raw    string
	}{
		{&id, `9007199254740993`}, {&budget, `1.5e+06`}, {&title, `"Kyiv \"school\" \u00e9"`}, {&public, `true`},
		{&created, `"2026-11-29T07:09:33.668847+02:00"`}, {&local, `"2026-11-29T07:09:33.5"`}, {&day, `"2024-09-12"`},
		{&summary, `{"en": "A plan"}`}, {&missing, `null`},
	}
	for _, c := range cases {
		if err := scanJSON(c.holder, json.RawMessage(c.raw)); err != nil {
			t.Fatalf("%s into %T: %v", c.raw, c.holder, err)
		}
	}
	want := time.Date(2026, 11, 29, 5, 9, 33, 668847000, time.UTC)
	switch {
	case id.Int64 != 9007199254740993 || !id.Valid:
		t.Errorf("id %v", id)
	case budget.Float64 != 1.5e6:
		t.Errorf("budget %v", budget)
	case title.String != `Kyiv "school" é`:
		t.Errorf("title %q", title.String)
	case !public.Bool:
		t.Errorf("public %v", public)
	case !created.Time.Equal(want):
		t.Errorf("created %v, want %v", created.Time, want)
	case !local.Time.Equal(time.Date(2026, 11, 29, 7, 9, 33, 5e8, time.UTC)):
		t.Errorf("timestamp without a zone %v", local.Time)
	case !day.Time.Equal(time.Date(2024, 9, 12, 0, 0, 0, 0, time.UTC)):
		t.Errorf("date %v", day.Time)
	case string(summary) != `{"en": "A plan"}`:
		t.Errorf("JSON %s", summary)
	case missing.Valid:
		t.Errorf("NULL scanned as %v", missing)
	}
	if err := scanJSON(new(sql.NullTime), json.RawMessage(`"infinity"`)); err == nil {
		t.Error("a time in no known layout scanned")
	}
	if foldableHolders([]any{new(sql.NullString), new(sql.UnknownType)}) {
		t.Error("a holder scanJSON does not know was found foldable")
	}
}

// TestFoldedRowsSplitAsJSON checks that foldedRows splits a folded page as
// encoding/json would, with PostgreSQL's white space or none, strings with
// escapes and brackets, nested JSON columns and NULL, and refuses text
// cut short or rows of another width.
func TestFoldedRowsSplitAsJSON(t *testing.T) {
	pages := []string{
		`[]`, ` [ ] `,
		`[[1, "a", null], ` + "\n " + `[2, "b \"]\" \\", {"en": ["x", "]"], "uk": {"k": "}"}}]]`,
		`[[-1.5e+06,"",true],[false,"\u00e9\n",[]]]`,
	}
	for _, page := range pages {
		var want [][]json.RawMessage
		if err := json.Unmarshal([]byte(page), &want); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		var got []string
		err := foldedRows([]byte(page), 3, func(i int, value []byte) error {
			got = append(got, string(value))
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		var flat []string
		for _, row := range want {
			for _, v := range row {
				flat = append(flat, string(v))
			}
		}
		if len(got) != len(flat) {
			t.Fatalf("%s: got %q, want %q", page, got, flat)
		}
		for i := range got {
			if got[i] != flat[i] {
				t.Errorf("%s: value %d is %q, want %q", page, i, got[i], flat[i])
			}
		}
	}
	for _, bad := range []string{``, `[`, `[[1, 2, 3]`, `[[1, 2]]`, `[[1, 2, 3, 4]]`, `[[1, 2, "3]]`, `[[1, 2, 3] [4, 5, 6]]`, `[[1, 2, 3]] x`, `{}`} {
		if err := foldedRows([]byte(bad), 3, func(int, []byte) error { return nil }); err == nil {
			t.Errorf("%q split without an error", bad)
		}
	}
	for raw, want := range map[string]string{`"plain"`: "plain", `"a \"q\" \u00e9"`: `a "q" é`, `""`: ""} {
		if s, err := jsonString([]byte(raw)); err != nil || s != want {
			t.Errorf("jsonString(%s) = %q, %v; want %q", raw, s, err, want)
		}
	}
}

// TestScanJSONAllocations checks that numbers and times scan into their
// holders without allocating, and a string with nothing escaped once. (A
// time in another offset than the machine's allocates its zone.)
func TestScanJSONAllocations(t *testing.T) {
	zone := 0.0
	if _, offset := time.Date(2026, 11, 29, 7, 9, 33, 0, time.UTC).In(time.Local).Zone(); offset != 0 {
		zone = 2
	}
	var (
		id      sql.NullInt64
		created sql.NullTime
		title   sql.NullString
	)
	for _, c := range []struct {
		holder any
		raw    string
		most   float64
	}{{&id, `9007199254740993`, 0}, {&created, `"2026-11-29T07:09:33.668847+00:00"`, zone}, {&title, `"Post 20 of topic 2000"`, 1}} {
		raw := json.RawMessage(c.raw)
		if n := testing.AllocsPerRun(100, func() { _ = scanJSON(c.holder, raw) }); n > c.most {
			t.Errorf("%s: %v allocations, want at most %v", c.raw, n, c.most)
		}
	}
}

// TestQualifiedOrder checks that a folded page that joins other tables
// orders by its own table's columns, as the pagers write their terms, and
// refuses a term it cannot read (an expression, an argument).
func TestQualifiedOrder(t *testing.T) {
	d := sql.Dialect(dialect.Postgres)
	page := d.Select().From(d.Table("posts"))
	terms := []sql.Querier{sql.ExprFunc(func(b *sql.Builder) {
		b.Ident("created_at").Pad().WriteString("DESC").Comma().Ident("id").Pad().WriteString("ASC")
	})}
	out, ok := qualifiedOrder(page, terms)
	if text, _ := page.OrderExpr(out...).Query(); !ok || !strings.HasSuffix(text, `ORDER BY "posts"."created_at" DESC, "posts"."id" ASC`) {
		t.Errorf("qualified %v: %s", ok, text)
	}
	for _, bad := range []sql.Querier{sql.Expr("(SELECT COUNT(*) FROM reactions) DESC"), sql.Expr(`"id" > ?`, 3), sql.Expr("id ASC")} {
		if _, ok := qualifiedOrder(page, []sql.Querier{bad}); ok {
			t.Errorf("%v qualified", bad)
		}
	}
}
