package pubsub

// Encode exposes the wire encoding to the tests.
func (ev Event) Encode() []byte { return ev.encode() }

// DecodeEvent exposes decodeEvent to the tests.
var DecodeEvent = decodeEvent

// PendingTxs returns how many transactions have events waiting for their
// commit.
func PendingTxs() int {
	pending.Lock()
	defer pending.Unlock()
	return len(pending.txs)
}
