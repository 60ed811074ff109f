package apierr

import "strings"

// GraphQLName turns an Ent field name (snake_case) into the name of the
// GraphQL input field that entgql generates for it: eu_member -> euMember,
// country_id -> countryID, activity_ids -> activityIDs. Names that are
// already camelCase pass through.
//
// It is written out here rather than taken from entc's template functions
// so that the server binary does not link the code generator.
func GraphQLName(snake string) string {
	parts := strings.Split(snake, "_")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case p == "":
		case i > 0 && p == "id":
			b.WriteString("ID")
		case i > 0 && p == "ids":
			b.WriteString("IDs")
		case i == 0:
			b.WriteString(p)
		default:
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}
