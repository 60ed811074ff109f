package pubsub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bridgesoftrust/hub/internal/pubsub"
)

// A mutation resolver publishes through PublishAfterCommit with the
// context it was given: inside entgql.Transactioner that context carries
// the mutation's transaction, and the event goes out only if it commits.
func ExamplePublishAfterCommit() {
	ps := pubsub.NewBroker()
	defer ps.Close()
	sub, _ := ps.Subscribe(context.Background(), "topic:7")

	ctx := context.Background() // a resolver's ctx; no transaction here
	ev := pubsub.Event{Topic: "topic:7", Payload: json.RawMessage(`{"post":123}`)}
	if err := pubsub.PublishAfterCommit(ctx, ps, ev); err != nil {
		fmt.Println(err)
	}
	got := <-sub.C
	fmt.Println(got.Topic, string(got.Payload))
	// Output: topic:7 {"post":123}
}

// A subscription resolver subscribes first, then replays from the
// database what came after the client's cursor, then forwards live events
// (loading each row through the Ent client, so privacy applies). When C
// closes, Err says why; after ErrSlowConsumer the client resubscribes with
// its last cursor.
func ExampleSubscription() {
	ps := pubsub.NewBroker(pubsub.WithBufferSize(1))
	defer ps.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub, _ := ps.Subscribe(ctx, "news")

	_ = ps.Publish(ctx, pubsub.Event{Topic: "news", Payload: json.RawMessage(`{"news":1}`)})
	_ = ps.Publish(ctx, pubsub.Event{Topic: "news", Payload: json.RawMessage(`{"news":2}`)}) // no room: dropped
	for ev := range sub.C {
		fmt.Println("load and send", string(ev.Payload))
	}
	fmt.Println(errors.Is(sub.Err(), pubsub.ErrSlowConsumer))
	// Output:
	// load and send {"news":1}
	// true
}
