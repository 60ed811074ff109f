package db

import (
	"strconv"
	"strings"

	"github.com/lib/pq"
)

// Ent writes a predicate on a list of values (the eager load of an edge:
// the projects of 305 partnerships; IDIn; where inputs' ...In) as
// `"col" IN ($1, $2, ..., $305)`: one parameter per value, each sent,
// parsed and bound apart, and a statement text (prepared and planned
// anew) for every length of list. Ent has no hook to write the predicate
// otherwise, so the PostgreSQL driver rewrites, in the queries Ent runs
// (not in its writes), each long list whose values are all integers or
// all strings into one array parameter, `"col" = ANY($1)` (`<> ALL` for
// NOT IN), which means the same for lists without NULLs (Ent passes none),
// and numbers the other parameters again.
//
// Short lists stay as they are: PostgreSQL plans a list of constants from
// its values, an array parameter from a guessed length of 10. Measured on
// hub_bench20k (backend time per run): the projects of 305 partnerships
// took 0.52 ms to bind and 0.52 ms to run as a list, 0.07 and 0.22 ms as
// an array; the partnerships of 50 towns ran in 1.03 ms as a list and
// 1.52 ms as an array, and the partnerships of one town took 0.15 ms to
// bind as a list and 1.12 ms as an array (planned anew each time).
const minCollapsedList = 100

// collapseInLists returns query and args with each IN list of at least
// minCollapsedList integers or strings collapsed into an array parameter.
// A statement whose parameters do not each appear once, in order, or that
// has no such list, is returned unchanged.
func collapseInLists(query string, args []any) (string, []any) {
	if len(args) < minCollapsedList || !strings.Contains(query, " IN ($") {
		return query, args
	}
	var (
		out       strings.Builder
		outArgs   = make([]any, 0, len(args))
		next      = 1 // the number of the next parameter of query
		collapsed = false
	)
	out.Grow(len(query))
	for i := 0; i < len(query); {
		switch c := query[i]; {
		case c == '\'' || c == '"': // a literal or an identifier: copied whole
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				return query, args
			}
			out.WriteString(query[i : i+end+2])
			i += end + 2
		case strings.HasPrefix(query[i:], " IN ($") || strings.HasPrefix(query[i:], " NOT IN ($"):
			open := strings.IndexByte(query[i:], '(') + i
			values, end, ok := consecutiveParams(query, open+1, next)
			if !ok || next-1+values > len(args) {
				return query, args
			}
			var array any
			if values >= minCollapsedList {
				array, _ = arrayOf(args[next-1 : next-1+values])
			}
			if array == nil { // kept as it is, numbered again
				out.WriteString(query[i : open+1])
				outArgs = writeList(&out, outArgs, args[next-1:next-1+values])
			} else {
				outArgs, collapsed = append(outArgs, array), true
				op := " = ANY($"
				if query[i+1] == 'N' {
					op = " <> ALL($"
				}
				out.WriteString(op + strconv.Itoa(len(outArgs)) + ")")
			}
			next += values
			i = end
		case c == '$':
			n, end := number(query, i+1)
			if n != next || n > len(args) {
				return query, args
			}
			outArgs = append(outArgs, args[n-1])
			out.WriteString("$" + strconv.Itoa(len(outArgs)))
			next++
			i = end
		default:
			out.WriteByte(c)
			i++
		}
	}
	if !collapsed || next-1 != len(args) {
		return query, args
	}
	return out.String(), outArgs
}

// writeList writes the parameters of list, numbered after those of
// outArgs, and a closing parenthesis to out, and returns outArgs with list.
func writeList(out *strings.Builder, outArgs, list []any) []any {
	for k, v := range list {
		if k > 0 {
			out.WriteString(", ")
		}
		outArgs = append(outArgs, v)
		out.WriteString("$" + strconv.Itoa(len(outArgs)))
	}
	out.WriteByte(')')
	return outArgs
}

// consecutiveParams reads `$first, $first+1, ..., $n)` at query[at:] and
// returns how many parameters it lists and where it ends (after the
// parenthesis); ok is false for anything else.
func consecutiveParams(query string, at, first int) (count, end int, ok bool) {
	for want := first; ; want++ {
		if at >= len(query) || query[at] != '$' {
			return 0, 0, false
		}
		n, after := number(query, at+1)
		if n != want {
			return 0, 0, false
		}
		count++
		switch {
		case strings.HasPrefix(query[after:], ", "):
			at = after + 2
		case strings.HasPrefix(query[after:], ")"):
			return count, after + 1, true
		default:
			return 0, 0, false
		}
	}
}

// number reads the decimal number at query[at:] (0 when there is none) and
// returns where it ends.
func number(query string, at int) (int, int) {
	end := at
	for end < len(query) && query[end] >= '0' && query[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(query[at:end])
	if err != nil {
		return 0, end
	}
	return n, end
}

// arrayOf returns values as one array parameter when they are all integers
// or all strings.
func arrayOf(values []any) (any, bool) {
	switch values[0].(type) {
	case int, int64, int32:
		ints := make(pq.Int64Array, len(values))
		for i, v := range values {
			switch n := v.(type) {
			case int:
				ints[i] = int64(n)
			case int64:
				ints[i] = n
			case int32:
				ints[i] = int64(n)
			default:
				return nil, false
			}
		}
		return ints, true
	case string:
		strs := make(pq.StringArray, len(values))
		for i, v := range values {
			s, ok := v.(string)
			if !ok {
				return nil, false
			}
			strs[i] = s
		}
		return strs, true
	}
	return nil, false
}
