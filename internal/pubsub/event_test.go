package pubsub_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/pubsub"
)

func TestEventEncodingRoundTrip(t *testing.T) {
	for _, ev := range []pubsub.Event{
		{Topic: "news"},
		{Topic: "post:123", Payload: json.RawMessage(`{"post":123,"topic":7}`)},
		{Topic: "notification:user:5", Payload: json.RawMessage(`[1, 2, 3]`)},
	} {
		b := ev.Encode()
		if len(b) != ev.Size() {
			t.Errorf("%s: Size() = %d, encoding has %d bytes", b, ev.Size(), len(b))
		}
		if !json.Valid(b) {
			t.Errorf("encoding %s is not JSON", b)
		}
		got, err := pubsub.DecodeEvent(string(b))
		if err != nil || got.Topic != ev.Topic || string(got.Payload) != string(ev.Payload) {
			t.Errorf("decode(%s) = %+v, %v; want %+v", b, got, err, ev)
		}
	}
}

func TestEventValidate(t *testing.T) {
	big := `"` + strings.Repeat("x", pubsub.MaxEventSize) + `"`
	for _, tc := range []struct {
		name string
		ev   pubsub.Event
		want error
	}{
		{"empty topic", pubsub.Event{}, pubsub.ErrInvalidEvent},
		{"quote in topic", pubsub.Event{Topic: `a"b`}, pubsub.ErrInvalidEvent},
		{"non-ASCII topic", pubsub.Event{Topic: "пост:1"}, pubsub.ErrInvalidEvent},
		{"long topic", pubsub.Event{Topic: strings.Repeat("t", pubsub.MaxTopicLen+1)}, pubsub.ErrInvalidEvent},
		{"bad payload", pubsub.Event{Topic: "news", Payload: json.RawMessage(`{`)}, pubsub.ErrInvalidEvent},
		{"too large", pubsub.Event{Topic: "news", Payload: json.RawMessage(big)}, pubsub.ErrEventTooLarge},
		{"ok", pubsub.Event{Topic: "post:1", Payload: json.RawMessage(`{"id":1}`)}, nil},
	} {
		if err := tc.ev.Validate(); !errors.Is(err, tc.want) {
			t.Errorf("%s: Validate() = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestEventSizeLimitIsExact(t *testing.T) {
	ev := pubsub.Event{Topic: "news"}
	ev.Payload = json.RawMessage(`"` + strings.Repeat("x", pubsub.MaxEventSize-ev.Size()-len(`,"payload":""`)) + `"`)
	if ev.Size() != pubsub.MaxEventSize || ev.Validate() != nil {
		t.Fatalf("size %d: Validate() = %v, want nil at the limit", ev.Size(), ev.Validate())
	}
	ev.Payload = append(ev.Payload[:len(ev.Payload)-1:len(ev.Payload)-1], `x"`...)
	if err := ev.Validate(); !errors.Is(err, pubsub.ErrEventTooLarge) {
		t.Fatalf("size %d: Validate() = %v, want ErrEventTooLarge", ev.Size(), err)
	}
}
