package graph

// groupings returns the names of GraphQL grouping enum values, which
// internal/analytics takes.
func groupings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
