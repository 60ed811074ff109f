package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// PubSub publishes events and delivers them to the subscribers of their
// topic. Implementations are safe for concurrent use.
type PubSub interface {
	// Publish sends ev to the topic's subscribers now. Callers inside a
	// transaction use PublishAfterCommit instead.
	Publish(ctx context.Context, ev Event) error
	// Subscribe returns a subscription to topic that ends when ctx ends.
	Subscribe(ctx context.Context, topic string) (*Subscription, error)
	// Close ends every subscription and releases the PubSub's resources.
	Close() error
}

// Event is a committed change: a topic and a small JSON payload of ids.
// Subscribers of a topic share one Event value: they must not modify
// Payload.
type Event struct {
	// Topic names what changed, e.g. "post:123" or "news".
	Topic string `json:"topic"`
	// Payload is a JSON value with ids, e.g. {"post":123}; it may be empty.
	Payload json.RawMessage `json:"payload,omitempty"`
}

const (
	// MaxEventSize is the largest encoded event in bytes (see
	// Event.Size). PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
	// and both implementations apply the same limit, so an event that
	// works with SQLite works with PostgreSQL too.
	MaxEventSize = 7999
	// MaxTopicLen is the longest topic in bytes.
	MaxTopicLen = 200
)

var (
	// ErrInvalidEvent is returned for an event with an empty, too long or
	// badly formed topic (printable ASCII without '"' or '\') or a payload
	// that is not JSON.
	ErrInvalidEvent = errors.New("pubsub: invalid event")
	// ErrEventTooLarge is returned for an event whose encoding exceeds
	// MaxEventSize; publish ids, not bodies.
	ErrEventTooLarge = errors.New("pubsub: event too large")
	// ErrClosed is returned by a closed PubSub, and reported by
	// Subscription.Err when the subscription or its PubSub was closed.
	ErrClosed = errors.New("pubsub: closed")
	// ErrSlowConsumer is reported by Subscription.Err when the subscriber
	// was dropped because its buffer was full.
	ErrSlowConsumer = errors.New("pubsub: subscriber dropped: too slow")
)

// Encoding pieces: topics need no escaping (see validTopic), so an event's
// encoded size is known without encoding it.
const (
	topicPrefix   = `{"topic":"`
	payloadPrefix = `","payload":`
)

// Validate checks the topic and payload and that the event fits in
// MaxEventSize.
func (ev Event) Validate() error {
	if err := validTopic(ev.Topic); err != nil {
		return err
	}
	if len(ev.Payload) > 0 && !json.Valid(ev.Payload) {
		return fmt.Errorf("%w: topic %q: payload is not JSON", ErrInvalidEvent, ev.Topic)
	}
	if n := ev.Size(); n > MaxEventSize {
		return fmt.Errorf("%w: topic %q: %d bytes encoded, limit %d", ErrEventTooLarge, ev.Topic, n, MaxEventSize)
	}
	return nil
}

// Size returns the length of the event's encoding, the JSON object
// {"topic":...,"payload":...} sent through PostgreSQL.
func (ev Event) Size() int {
	if len(ev.Payload) == 0 {
		return len(topicPrefix) + len(ev.Topic) + len(`"}`)
	}
	return len(topicPrefix) + len(ev.Topic) + len(payloadPrefix) + len(ev.Payload) + len(`}`)
}

// encode returns the event as JSON. The event must be valid.
func (ev Event) encode() []byte {
	b := make([]byte, 0, ev.Size())
	b = append(b, topicPrefix...)
	b = append(b, ev.Topic...)
	if len(ev.Payload) == 0 {
		return append(b, `"}`...)
	}
	b = append(b, payloadPrefix...)
	b = append(b, ev.Payload...)
	return append(b, '}')
}

// decodeEvent parses an encoded event and validates it.
func decodeEvent(s string) (Event, error) {
	var ev Event
	if err := json.Unmarshal([]byte(s), &ev); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrInvalidEvent, err)
	}
	return ev, ev.Validate()
}

// validTopic checks that topic is 1 to MaxTopicLen bytes of printable ASCII
// other than '"' and '\', so it needs no escaping in JSON.
func validTopic(topic string) error {
	if topic == "" || len(topic) > MaxTopicLen {
		return fmt.Errorf("%w: topic must be 1 to %d bytes, got %d", ErrInvalidEvent, MaxTopicLen, len(topic))
	}
	for i := 0; i < len(topic); i++ {
		if c := topic[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return fmt.Errorf("%w: topic %q: byte %d is not printable ASCII or is a quote or backslash", ErrInvalidEvent, topic, i)
		}
	}
	return nil
}
