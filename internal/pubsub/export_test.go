package pubsub

// Encode exposes the wire encoding to the tests.
func (ev Event) Encode() []byte { return ev.encode() }

// DecodeEvent exposes decodeEvent to the tests.
var DecodeEvent = decodeEvent
