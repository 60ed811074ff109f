package export

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// cell holds one value of the row being written as the database driver
// gives it: nil, int64, float64, bool, []byte, string or time.Time. A
// []byte is the driver's and valid until the next row is read, which is
// after the row is written.
type cell struct{ v any }

// Scan implements sql.Scanner: it keeps the driver's value as is.
func (c *cell) Scan(src any) error {
	c.v = src
	return nil
}

// appendText appends a value of kind k as plain text: nothing for null.
func appendText(dst []byte, v any, k kind) []byte {
	switch x := v.(type) {
	case int64:
		if k == boolean {
			return strconv.AppendBool(dst, x != 0)
		}
		return strconv.AppendInt(dst, x, 10)
	case float64:
		return strconv.AppendFloat(dst, x, 'f', -1, 64)
	case bool:
		return strconv.AppendBool(dst, x)
	case time.Time:
		return x.AppendFormat(dst, time.DateOnly)
	case []byte:
		return appendString(dst, x, k)
	case string:
		return appendString(dst, x, k)
	}
	return dst
}

// appendString appends a string value of kind k: a list's items joined,
// a date's first ten characters (SQLite may give dates as text).
func appendString[T string | []byte](dst []byte, s T, k kind) []byte {
	switch {
	case k == list:
		return appendList(dst, []byte(s))
	case k == date && len(s) > len(time.DateOnly):
		return append(dst, s[:len(time.DateOnly)]...)
	}
	return append(dst, s...)
}

// appendList appends the strings of a JSON array joined by "; "; a value
// that is not such an array is appended as it is. An array without
// escapes (the usual themes) is read without decoding it into strings.
func appendList(dst, array []byte) []byte {
	if bytes.IndexByte(array, '\\') < 0 {
		if out, ok := appendPlainList(dst, array); ok {
			return out
		}
	}
	var items []string
	if err := json.Unmarshal(array, &items); err != nil {
		return append(dst, array...)
	}
	for i, item := range items {
		if i > 0 {
			dst = append(dst, "; "...)
		}
		dst = append(dst, item...)
	}
	return dst
}

// appendPlainList appends the strings of a JSON array of strings without
// escapes joined by "; "; ok is false for anything else.
func appendPlainList(dst, array []byte) (out []byte, ok bool) {
	start := len(dst)
	rest := bytes.TrimSpace(array)
	if len(rest) < 2 || rest[0] != '[' || rest[len(rest)-1] != ']' {
		return dst, false
	}
	rest = bytes.TrimSpace(rest[1 : len(rest)-1])
	for i := 0; len(rest) > 0; i++ {
		if rest[0] != '"' {
			return dst[:start], false
		}
		end := bytes.IndexByte(rest[1:], '"')
		if end < 0 {
			return dst[:start], false
		}
		if i > 0 {
			dst = append(dst, "; "...)
		}
		dst = append(dst, rest[1:end+1]...)
		rest = bytes.TrimSpace(rest[end+2:])
		if len(rest) > 0 {
			if rest[0] != ',' {
				return dst[:start], false
			}
			rest = bytes.TrimSpace(rest[1:])
		}
	}
	return dst, true
}

// appendJSON appends a value of kind k as JSON: text and lists as
// strings (empty for null), dates as strings or null, numbers and
// booleans as such or null. tmp is scratch space, returned for reuse.
func appendJSON(dst, tmp []byte, v any, k kind) ([]byte, []byte) {
	switch {
	case v == nil && (k == text || k == list):
		return append(dst, `""`...), tmp
	case v == nil:
		return append(dst, "null"...), tmp
	case k == number:
		return appendJSONNumber(dst, v), tmp
	case k == integer || k == boolean:
		return appendText(dst, v, k), tmp
	}
	tmp = appendText(tmp[:0], v, k)
	return appendJSONString(dst, tmp), tmp
}

// appendJSONNumber appends a number as encoding/json writes a float64
// (null for values JSON cannot hold).
func appendJSONNumber(dst []byte, v any) []byte {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case int64:
		return strconv.AppendInt(dst, x, 10)
	default:
		return append(dst, "null"...)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if n := len(dst); format == 'e' && n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		// 1e-07 is written 1e-7, as encoding/json does.
		dst[n-2] = dst[n-1]
		dst = dst[:n-1]
	}
	return dst
}

// hex are the digits of \u escapes.
const hex = "0123456789abcdef"

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, U+2028 and U+2029 escaped (as
// encoding/json does), invalid UTF-8 replaced by U+FFFD.
func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			switch r {
			case utf8.RuneError:
				dst = append(dst, `\ufffd`...)
			default:
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			}
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendCSVField appends a CSV field as encoding/csv writes it (RFC
// 4180): in quotes, with its quotes doubled, when it holds a comma, a
// quote or a line break, starts with a space or is `\.`.
func appendCSVField(dst, field []byte) []byte {
	if !csvNeedsQuotes(field) {
		return append(dst, field...)
	}
	dst = append(dst, '"')
	for _, b := range field {
		if b == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, b)
	}
	return append(dst, '"')
}

// csvNeedsQuotes is encoding/csv's rule for quoting a field.
func csvNeedsQuotes(field []byte) bool {
	if len(field) == 0 {
		return false
	}
	if string(field) == `\.` {
		return true
	}
	for _, b := range field {
		if b == ',' || b == '"' || b == '\r' || b == '\n' {
			return true
		}
	}
	r, _ := utf8.DecodeRune(field)
	return unicode.IsSpace(r)
}
