// Package eventtest tests events, registrations, calendar feeds and
// e-mail the way their clients see them: GraphQL and HTTP against the
// Hub's real server, on SQLite and, when HUB_TEST_POSTGRES_URL is set, on
// PostgreSQL.
//
// The package holds only tests:
//
//   - events_test.go: audiences, registration at capacity, the waiting list
//     moving up on cancellation with a notification, attendance counted once
//     per person in the people-trained figure, refusals;
//   - calendar_test.go: the iCalendar files of an event and of a user's
//     feed parse in a calendar parser;
//   - email_test.go: digests to an SMTP server started by the test, once,
//     in the user's language; one-click unsubscribe without signing in.
package eventtest
