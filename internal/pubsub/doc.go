// Package pubsub fans the Hub's committed changes out to GraphQL
// subscriptions.
//
// An [Event] names a topic ("post:123", "topic-category:7", "news",
// "notification:user:5") and carries a small JSON payload of ids, never
// bodies: subscription resolvers load what they show through the Ent client,
// so privacy policies apply to every delivered row.
//
// Two implementations share the [PubSub] interface:
//
//   - [Broker], an in-process fan-out, used on its own with SQLite (one
//     process) and as the local fan-out of the PostgreSQL implementation.
//   - [Postgres], which publishes with pg_notify on one channel and runs one
//     LISTEN connection per process, so several `hub serve` replicas on one
//     database all see every event.
//
// # Publishing after commit
//
// Events describe committed data only. Resolvers publish with
// [PublishAfterCommit], whatever the backend: inside an Ent transaction (the
// one entgql.Transactioner opens for every mutation) the event is delivered
// only if that transaction commits; outside one it is published at once.
//
// # Subscribing
//
// [PubSub.Subscribe] returns a [Subscription] whose channel C receives the
// topic's events until the context ends, the subscription or the PubSub is
// closed, or the subscriber falls behind: a subscriber whose buffer is full
// is dropped (C is closed and Err reports [ErrSlowConsumer]) so that it never
// slows the others. A dropped subscriber has missed events.
//
// A subscription resolver therefore subscribes first, then replays from the
// database what was committed after the client's `after` cursor, then
// forwards live events, skipping ids it has already sent (the replay and
// the live events overlap). It loads each row through the Ent client with
// the viewer's context, so privacy policies decide what is sent. When C
// closes it ends the GraphQL subscription; the client resubscribes with its
// last cursor.
//
// # Delivery is best effort
//
// Events are hints that something changed, not a log. They are lost when a
// subscriber is dropped, and with PostgreSQL while a process's listening
// connection is down (database restart, network failure): the listener
// reconnects by itself and subscriptions survive, but events published in
// the gap never reach that process. Clients therefore catch up through the
// `after` cursors of the subscription fields, whose resolvers replay from
// the database what was committed after the client's last cursor.
package pubsub
