package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The writers' encoders must give what encoding/json and encoding/csv
// would read back as the same values.

func TestJSONStringsReadBack(t *testing.T) {
	for _, s := range []string{"", "Kyiv", "Харків", `a "quoted" \ path`, "line\nbreak\ttab\r", "\x00\x1f", "\u2028\u2029",
		"bad \xff utf-8", "<b>&</b>"} {
		var got string
		out := appendJSONString(nil, []byte(s))
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%q encodes as %s: %v", s, out, err)
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if got != want {
			t.Errorf("%q reads back as %q", s, got)
		}
	}
}

func TestJSONNumbersAsEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1.5, 50.4501, 30.5234, 1e-7, 123456789.125, 1e21, 2.5e-9} {
		want, _ := json.Marshal(f)
		if got := appendJSONNumber(nil, f); !bytes.Equal(got, want) {
			t.Errorf("%v: %s, encoding/json writes %s", f, got, want)
		}
	}
	if got := appendJSONNumber(nil, int64(42)); string(got) != "42" {
		t.Errorf("int64 42: %s", got)
	}
}

func TestCSVFieldsReadBack(t *testing.T) {
	fields := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", " leading space", `\.`, "Kuldīga"}
	var line []byte
	for i, f := range fields {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, []byte(f))
	}
	var want bytes.Buffer
	w := csv.NewWriter(&want)
	_ = w.Write(fields)
	w.Flush()
	if got := string(line) + "\n"; got != want.String() {
		t.Errorf("CSV line %q, encoding/csv writes %q", got, want.String())
	}
}

func TestListsJoined(t *testing.T) {
	for in, want := range map[string]string{
		`["waste", "culture"]`: "waste; culture",
		`["waste","culture"]`:  "waste; culture",
		`[]`:                   "",
		`["", "a"]`:            "; a",
		`["say \"hi\"", "b"]`:  `say "hi"; b`,
		`["a, b" , "c"]`:       "a, b; c",
		`not json`:             "not json",
		`["unterminated`:       `["unterminated`,
		`["Харків", "Чугуїв"]`: "Харків; Чугуїв",
	} {
		if got := string(appendText(nil, []byte(in), list)); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestValuesByKind(t *testing.T) {
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v          any
		k          kind
		text, json string
	}{
		{nil, text, "", `""`},
		{nil, date, "", "null"},
		{nil, integer, "", "null"},
		{int64(7), integer, "7", "7"},
		{int64(1), boolean, "true", "true"},
		{false, boolean, "false", "false"},
		{day, date, "2024-03-05", `"2024-03-05"`},
		{"2024-03-05 00:00:00+00:00", date, "2024-03-05", `"2024-03-05"`},
		{[]byte("Kyiv"), text, "Kyiv", `"Kyiv"`},
		{50.45, number, "50.45", "50.45"},
	} {
		if got := string(appendText(nil, c.v, c.k)); got != c.text {
			t.Errorf("%v as text: %q, want %q", c.v, got, c.text)
		}
		if got, _ := appendJSON(nil, nil, c.v, c.k); string(got) != c.json {
			t.Errorf("%v as JSON: %s, want %s", c.v, got, c.json)
		}
	}
}
