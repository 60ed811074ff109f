// Package subscriptiontest tests the Hub's GraphQL subscriptions the way
// their clients see them: the real server (server.New behind httptest, or
// `hub serve` processes), real websockets speaking graphql-transport-ws
// (a small client on gorilla/websocket, and the npm graphql-ws client),
// changes made over GraphQL/HTTP, on SQLite and, when
// HUB_TEST_POSTGRES_URL is set, on PostgreSQL with LISTEN/NOTIFY as
// `hub serve` opens it.
//
// The package holds only tests:
//
//   - nodeclient_test.go: the npm graphql-ws client (testdata/postadded.mjs)
//     receives postAdded for posts made over HTTP;
//   - closecodes_test.go: each protocol error closes the socket with its
//     code (4400, 4401, 4403, 4406, 4408, 4409, 4429);
//   - replicas_test.go: two servers on one PostgreSQL database, each with
//     its own listener, and two `hub serve` processes: a post made through
//     one reaches the subscribers of both; a rolled-back post reaches nobody;
//   - resume_test.go: a subscriber that comes back with `after` gets the
//     posts it missed, once each, then live ones;
//   - visibility_test.go: subscribers get only what they may read, also
//     after a category's visibility changes while they listen;
//   - notifications_test.go: notificationAdded and newsPublished.
//
// A test that must know a subscriber is listening before it makes a change
// waits until the server counts the subscription (see subscriptions): the
// protocol has no acknowledgement of a subscribe message. Checks that
// something is not delivered wait for a grace period; no test asserts how
// fast anything happens.
package subscriptiontest
