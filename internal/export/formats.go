package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// Formats are the export formats by file extension, with their media types.
var Formats = map[string]string{
	"csv":     "text/csv; charset=utf-8",
	"ndjson":  "application/x-ndjson",
	"geojson": "application/geo+json",
}

// writer writes rows in one format: begin before the first row, end after
// the last.
type writer interface {
	begin() error
	write(r row) error
	end() error
}

// newWriter returns the writer of format for rows with columns.
func newWriter(format string, w io.Writer, columns []string) writer {
	buf := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "csv":
		return &csvWriter{out: buf, csv: csv.NewWriter(buf), columns: columns}
	case "ndjson":
		return &jsonWriter{out: buf, columns: columns}
	default:
		return &geoWriter{jsonWriter: jsonWriter{out: buf, columns: columns}}
	}
}

// csvWriter writes a header row and a line per row (RFC 4180).
type csvWriter struct {
	out     *bufio.Writer
	csv     *csv.Writer
	columns []string
	cells   []string
}

func (w *csvWriter) begin() error { return w.csv.Write(w.columns) }

func (w *csvWriter) write(r row) error {
	w.cells = w.cells[:0]
	for _, v := range r.values {
		w.cells = append(w.cells, cell(v))
	}
	return w.csv.Write(w.cells)
}

func (w *csvWriter) end() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	return w.out.Flush()
}

// cell formats a value for CSV: empty for none.
func cell(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case int:
		return strconv.Itoa(t)
	case bool:
		return strconv.FormatBool(t)
	case *int:
		if t == nil {
			return ""
		}
		return strconv.Itoa(*t)
	case *float64:
		if t == nil {
			return ""
		}
		return strconv.FormatFloat(*t, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// jsonWriter writes one JSON object per line (NDJSON).
type jsonWriter struct {
	out     *bufio.Writer
	columns []string
	// keys are the columns' quoted JSON keys with the colon, made once.
	keys [][]byte
}

func (w *jsonWriter) begin() error { return nil }

func (w *jsonWriter) write(r row) error {
	if err := w.object(r.values); err != nil {
		return err
	}
	return w.out.WriteByte('\n')
}

func (w *jsonWriter) end() error { return w.out.Flush() }

// key returns column i's `"name":`.
func (w *jsonWriter) key(i int) []byte {
	if w.keys == nil {
		for _, c := range w.columns {
			k, _ := json.Marshal(c)
			w.keys = append(w.keys, append(k, ':'))
		}
	}
	return w.keys[i]
}

// object writes the values as a JSON object keyed by the columns, in
// column order.
func (w *jsonWriter) object(values []any) error {
	w.out.WriteByte('{')
	for i, v := range values {
		if i > 0 {
			w.out.WriteByte(',')
		}
		val, err := json.Marshal(v)
		if err != nil {
			return err
		}
		w.out.Write(w.key(i))
		w.out.Write(val)
	}
	return w.out.WriteByte('}')
}

// geoWriter writes a GeoJSON FeatureCollection (RFC 7946), a Feature per
// row with the row's values as properties; a row without coordinates has
// a null geometry.
type geoWriter struct {
	jsonWriter
	n int
}

func (w *geoWriter) begin() error {
	_, err := w.out.WriteString(`{"type":"FeatureCollection","features":[`)
	return err
}

func (w *geoWriter) write(r row) error {
	if w.n > 0 {
		w.out.WriteString(",\n")
	}
	w.n++
	geom, err := json.Marshal(r.geometry)
	if err != nil {
		return err
	}
	fmt.Fprintf(w.out, `{"type":"Feature","id":%d,"geometry":%s,"properties":`, r.id, geom)
	if err := w.object(r.values); err != nil {
		return err
	}
	return w.out.WriteByte('}')
}

func (w *geoWriter) end() error {
	w.out.WriteString("]}\n")
	return w.out.Flush()
}
