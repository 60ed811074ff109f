package wstransport

import "encoding/binary"

// The transport frames what it sends itself (gorilla/websocket reads): the
// queue then holds whole frames, a frame cut short by a full socket is
// finished from where it stopped, and any goroutine may write frames
// without waiting (see conn.flushNow). Server frames are unmasked.
const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xA
	finBit  = 0x80

	noStatusReceived = 1005
)

// newFrame returns an empty buffer for a final frame of op with a payload
// of n bytes: the header is written, the payload is to be appended.
func newFrame(op byte, n int) []byte {
	switch {
	case n < 126:
		b := make([]byte, 2, 2+n)
		b[0], b[1] = finBit|op, byte(n)
		return b
	case n <= 0xFFFF:
		b := make([]byte, 4, 4+n)
		b[0], b[1] = finBit|op, 126
		binary.BigEndian.PutUint16(b[2:], uint16(n))
		return b
	default:
		b := make([]byte, 10, 10+n)
		b[0], b[1] = finBit|op, 127
		binary.BigEndian.PutUint64(b[2:], uint64(n))
		return b
	}
}

// controlFrame returns a final control frame of op with payload (at most
// 125 bytes, as the protocol requires; longer is cut).
func controlFrame(op byte, payload []byte) []byte {
	payload = payload[:min(len(payload), 125)]
	return append(newFrame(op, len(payload)), payload...)
}

// pingFrame is the keep-alive ping, without payload.
var pingFrame = controlFrame(opPing, nil)

// closeFrame returns a close frame with code and reason (trimmed to fit);
// 1005 (no status) is sent as a close frame without payload, as the
// protocol reserves the code.
func closeFrame(code int, reason string) []byte {
	if code == noStatusReceived {
		return controlFrame(opClose, nil)
	}
	payload := make([]byte, 2, 2+len(reason))
	binary.BigEndian.PutUint16(payload, uint16(code))
	return controlFrame(opClose, append(payload, trimReason(reason)...))
}
