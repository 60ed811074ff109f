package ent

import (
	"encoding/json"
	"testing"
	"time"

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
