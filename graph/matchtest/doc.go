// Package matchtest tests the matchmaking platform the way its clients see
// it: GraphQL over real HTTP against the Hub's server with the demo data
// set, on SQLite and, when HUB_TEST_POSTGRES_URL is set, on PostgreSQL.
//
// The package holds only tests:
//
//   - suggestions_test.go: needs and offers, suggestions with their
//     reasons, existing partners, declined pairs and closed profiles left
//     out, filters, paging and weights;
//   - requests_test.go: the way from interest to a partnership, who may
//     take each step and who is refused, notifications and audit rows at
//     each step, waiting requests, and that nobody else sees or infers a
//     request by any path;
//   - quality_test.go: the quality report on the demo partnerships.
package matchtest
