package db

import (
	"database/sql/driver"
	"strconv"
	"strings"

	"github.com/lib/pq"
)

// Ent writes a list of values as `"col" IN ($4, $5, ..., $203)`: one
// placeholder per value. On PostgreSQL that makes a statement text per list
// length (each prepared and planned apart, and evicting the others from the
// cache) and a bind of hundreds of parameters, each sent and parsed as text.
// anyArrays rewrites such a list into `"col" = ANY($4)` with the values in
// one array argument: one statement text whatever the length, bound in one
// parameter whose type PostgreSQL infers from the column. The two forms
// mean the same (ANY with an array of the list's values is how PostgreSQL
// itself runs IN). Ent's SQL builder has no such predicate and its eager
// loads are generated code, so the driver layer, which sees every
// statement, does it.

// inListMarker is how Ent opens a list of placeholders.
const inListMarker = " IN ($"

// anyArrays returns query with each list of placeholders after IN whose
// values are all integers or all strings turned into = ANY of one array,
// and the arguments to go with it; query and args unchanged when there is
// none.
func anyArrays(query string, args []driver.NamedValue) (string, []driver.NamedValue) {
	if len(args) < 2 || !strings.Contains(query, inListMarker) {
		return query, args
	}
	var b strings.Builder
	out := make([]driver.NamedValue, 0, len(args))
	next := 1 // the next placeholder expected, in order of appearance
	changed := false
	for i := 0; i < len(query); {
		switch c := query[i]; {
		case c == '\'' || c == '"':
			end := quotedEnd(query, i)
			b.WriteString(query[i:end])
			i = end
		case c == '$':
			n, end := placeholder(query, i)
			if n != next || n > len(args) {
				return query, args // numbered in an order this does not follow
			}
			out = append(out, renumbered(args[n-1], len(out)+1))
			b.WriteString("$" + strconv.Itoa(len(out)))
			next, i = n+1, end
		case strings.HasPrefix(query[i:], inListMarker) && !strings.HasSuffix(query[:i], " NOT"):
			first, count, end := placeholderList(query, i+len(inListMarker)-2)
			array, ok := arrayOf(args, first, count)
			if first != next || !ok {
				b.WriteString(query[i : i+len(inListMarker)-1])
				i += len(inListMarker) - 1
				continue
			}
			out = append(out, driver.NamedValue{Ordinal: len(out) + 1, Value: array})
			b.WriteString(" = ANY($" + strconv.Itoa(len(out)) + ")")
			next, i, changed = first+count, end, true
		default:
			b.WriteByte(c)
			i++
		}
	}
	if !changed || next != len(args)+1 {
		return query, args
	}
	return b.String(), out
}

// quotedEnd returns the index after the quoted literal or identifier that
// opens at i (a doubled quote stands for itself).
func quotedEnd(query string, i int) int {
	q := query[i]
	for j := i + 1; j < len(query); j++ {
		if query[j] == q {
			if j+1 < len(query) && query[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(query)
}

// placeholder reads the placeholder $n at i and returns n (0 when no digits
// follow) and the index after it.
func placeholder(query string, i int) (int, int) {
	j := i + 1
	for j < len(query) && query[j] >= '0' && query[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(query[i+1 : j])
	return n, j
}

// placeholderList reads "($a, $a+1, ..., $b)" at open (its parenthesis) and
// returns a, the number of placeholders and the index after the list; count
// is 0 when the list is anything else.
func placeholderList(query string, open int) (first, count, end int) {
	i := open + 1
	for {
		if i >= len(query) || query[i] != '$' {
			return 0, 0, 0
		}
		n, j := placeholder(query, i)
		if count == 0 {
			first = n
		} else if n != first+count {
			return 0, 0, 0
		}
		count++
		switch {
		case strings.HasPrefix(query[j:], ", "):
			i = j + 2
		case strings.HasPrefix(query[j:], ")"):
			return first, count, j + 1
		default:
			return 0, 0, 0
		}
	}
}

// arrayOf returns the arguments first..first+count-1 (1-based) as one
// PostgreSQL array value, when they are all integers or all strings.
func arrayOf(args []driver.NamedValue, first, count int) (driver.Value, bool) {
	if count == 0 || first < 1 || first+count-1 > len(args) {
		return nil, false
	}
	list := args[first-1 : first-1+count]
	switch list[0].Value.(type) {
	case int64:
		text := make([]byte, 0, 16*count)
		text = append(text, '{')
		for i, a := range list {
			v, ok := a.Value.(int64)
			if !ok {
				return nil, false
			}
			if i > 0 {
				text = append(text, ',')
			}
			text = strconv.AppendInt(text, v, 10)
		}
		return string(append(text, '}')), true
	case string:
		values := make(pq.StringArray, count)
		for i, a := range list {
			v, ok := a.Value.(string)
			if !ok {
				return nil, false
			}
			values[i] = v
		}
		v, err := values.Value()
		return v, err == nil
	}
	return nil, false
}

// renumbered returns a with ordinal n.
func renumbered(a driver.NamedValue, n int) driver.NamedValue {
	a.Ordinal = n
	return a
}
