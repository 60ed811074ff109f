package export

import (
	"bufio"
	"io"
)

// Formats are the export formats by file extension, with their media types.
var Formats = map[string]string{
	"csv":     "text/csv; charset=utf-8",
	"ndjson":  "application/x-ndjson",
	"geojson": "application/geo+json",
}

// writer writes rows in one format: begin before the first row, end after
// the last. A row is the cells of an export's statement: the dataset's
// fields, then the longitude and latitude of each position of its
// geometry. Each row is made in a buffer and written at once, without
// reflection.
type writer interface {
	begin() error
	write(row []cell) error
	end() error
}

// layout is what a writer knows of a dataset: its columns, their kinds and
// the number of positions of its geometry.
type layout struct {
	columns []string
	kinds   []kind
	points  int
}

// newWriter returns the writer of format for rows of l.
func newWriter(format string, w io.Writer, l layout) writer {
	out := &rowWriter{out: bufio.NewWriterSize(w, 64<<10), layout: l}
	switch format {
	case "csv":
		return &csvWriter{out}
	case "ndjson":
		return &jsonWriter{out}
	default:
		return &geoWriter{rowWriter: out}
	}
}

// rowWriter holds what every format needs: the buffered output, the row
// being made and scratch space.
type rowWriter struct {
	layout
	out  *bufio.Writer
	line []byte
	tmp  []byte
	// keys are the columns' `"name":` in JSON, made once.
	keys [][]byte
}

// flush writes the row made in line.
func (w *rowWriter) flush() error {
	_, err := w.out.Write(w.line)
	return err
}

// end writes what is buffered.
func (w *rowWriter) end() error { return w.out.Flush() }

// object appends the fields of row to line as a JSON object keyed by the
// columns, in column order.
func (w *rowWriter) object(row []cell) {
	if w.keys == nil {
		for _, c := range w.columns {
			w.keys = append(w.keys, append(appendJSONString(nil, []byte(c)), ':'))
		}
	}
	w.line = append(w.line, '{')
	for i, k := range w.kinds {
		if i > 0 {
			w.line = append(w.line, ',')
		}
		w.line = append(w.line, w.keys[i]...)
		w.line, w.tmp = appendJSON(w.line, w.tmp, row[i].v, k)
	}
	w.line = append(w.line, '}')
}

// csvWriter writes a header row and a line per row (RFC 4180).
type csvWriter struct{ *rowWriter }

func (w *csvWriter) begin() error {
	w.line = w.line[:0]
	for i, c := range w.columns {
		w.line = w.separate(i)
		w.line = appendCSVField(w.line, []byte(c))
	}
	w.line = append(w.line, '\n')
	return w.flush()
}

func (w *csvWriter) write(row []cell) error {
	w.line = w.line[:0]
	for i, k := range w.kinds {
		w.line = w.separate(i)
		w.tmp = appendText(w.tmp[:0], row[i].v, k)
		w.line = appendCSVField(w.line, w.tmp)
	}
	w.line = append(w.line, '\n')
	return w.flush()
}

// separate appends the comma before field i.
func (w *csvWriter) separate(i int) []byte {
	if i > 0 {
		return append(w.line, ',')
	}
	return w.line
}

// jsonWriter writes one JSON object per line (NDJSON).
type jsonWriter struct{ *rowWriter }

func (w *jsonWriter) begin() error { return nil }

func (w *jsonWriter) write(row []cell) error {
	w.line = w.line[:0]
	w.object(row)
	w.line = append(w.line, '\n')
	return w.flush()
}

// geoWriter writes a GeoJSON FeatureCollection (RFC 7946), a Feature per
// row with the row's fields as properties; a row without every
// coordinate of its geometry has a null geometry.
type geoWriter struct {
	*rowWriter
	n int
}

func (w *geoWriter) begin() error {
	_, err := w.out.WriteString(`{"type":"FeatureCollection","features":[`)
	return err
}

func (w *geoWriter) write(row []cell) error {
	w.line = w.line[:0]
	if w.n > 0 {
		w.line = append(w.line, ",\n"...)
	}
	w.n++
	w.line = append(w.line, `{"type":"Feature","id":`...)
	w.line = appendText(w.line, row[0].v, integer)
	w.line = append(w.line, `,"geometry":`...)
	w.geometry(row[len(w.kinds):])
	w.line = append(w.line, `,"properties":`...)
	w.object(row)
	w.line = append(w.line, '}')
	return w.flush()
}

// geometry appends the geometry of a row's coordinates (longitude,
// latitude per position): a Point, a LineString or null.
func (w *geoWriter) geometry(coordinates []cell) {
	for _, c := range coordinates {
		if c.v == nil {
			coordinates = nil
			break
		}
	}
	switch {
	case len(coordinates) == 0:
		w.line = append(w.line, "null"...)
		return
	case w.points == 1:
		w.line = append(w.line, `{"type":"Point","coordinates":`...)
	default:
		w.line = append(w.line, `{"type":"LineString","coordinates":[`...)
	}
	for i := 0; i < len(coordinates); i += 2 {
		if i > 0 {
			w.line = append(w.line, ',')
		}
		w.line = append(w.line, '[')
		w.line = appendJSONNumber(w.line, coordinates[i].v)
		w.line = append(w.line, ',')
		w.line = appendJSONNumber(w.line, coordinates[i+1].v)
		w.line = append(w.line, ']')
	}
	if w.points > 1 {
		w.line = append(w.line, ']')
	}
	w.line = append(w.line, '}')
}

func (w *geoWriter) end() error {
	w.out.WriteString("]}\n")
	return w.out.Flush()
}
