package wstransport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Subprotocols spoken, in order of preference.
const (
	// ProtocolTransportWS is the graphql-transport-ws subprotocol (graphql-ws library).
	ProtocolTransportWS = "graphql-transport-ws"
	// ProtocolLegacyWS is the legacy graphql-ws subprotocol (subscriptions-transport-ws).
	ProtocolLegacyWS = "graphql-ws"
)

// Close codes sent by the transport, besides the standard 1000 (normal),
// 1001 (going away), 1009 (message too big) and 1013 (slow consumer).
const (
	CloseBadRequest            = 4400 // invalid message
	CloseUnauthorized          = 4401 // operation before connection_ack
	CloseForbidden             = 4403 // InitFunc refused the connection
	CloseSubprotocolNotAllowed = 4406 // no subprotocol spoken here was offered
	CloseInitTimeout           = 4408 // no connection_init in time
	CloseSubscriberExists      = 4409 // operation id already running
	CloseTooManyInit           = 4429 // second connection_init
	CloseInternalError         = 4500 // unexpected server failure
	CloseSlowConsumer          = 1013 // send queue full ("try again later")
)

// Close reasons as worded by the protocol.
const (
	reasonUnauthorized  = "Unauthorized"
	reasonForbidden     = "Forbidden"
	reasonSubprotocol   = "Subprotocol not acceptable"
	reasonInitTimeout   = "Connection initialisation timeout"
	reasonTooManyInit   = "Too many initialisation requests"
	reasonSlowConsumer  = "slow consumer"
	reasonShutdown      = "server shutting down"
	reasonInvalidPrefix = "Invalid message received: "
)

// maxCloseReason is the longest close reason a close frame can carry.
const maxCloseReason = 123

// Message types of both subprotocols.
const (
	msgConnectionInit      = "connection_init"
	msgConnectionAck       = "connection_ack"
	msgPing                = "ping"
	msgPong                = "pong"
	msgSubscribe           = "subscribe"
	msgNext                = "next"
	msgError               = "error"
	msgComplete            = "complete"
	msgStart               = "start"
	msgData                = "data"
	msgStop                = "stop"
	msgKeepAlive           = "ka"
	msgConnectionError     = "connection_error"
	msgConnectionTerminate = "connection_terminate"
)

// inMessage is a decoded client message. Payload keeps its raw JSON.
type inMessage struct {
	Type    string          `json:"type"`
	ID      *string         `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

// id returns the message id, "" when absent.
func (m *inMessage) id() string {
	if m.ID == nil {
		return ""
	}
	return *m.ID
}

// subscribePayload is the payload of subscribe/start, fields kept raw so
// that their JSON kinds can be checked.
type subscribePayload struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

var errNotObject = errors.New("message must be a JSON object")

// parseMessage decodes a client message and checks that it is an object with
// a string type.
func parseMessage(data []byte) (*inMessage, error) {
	if jsonKind(data) != '{' {
		return nil, errNotObject
	}
	var m inMessage
	if err := json.Unmarshal(data, &m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s must be a string", te.Field)
		}
		return nil, errors.New("invalid JSON")
	}
	if m.Type == "" {
		return nil, errors.New("missing type")
	}
	return &m, nil
}

// jsonKind returns the first significant byte of a JSON value: '{', '[',
// '"', 'n' (null), 't'/'f' (booleans), a digit or '-'; 0 when empty.
func jsonKind(raw []byte) byte {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// isObjectOrAbsent reports whether raw is missing, null or a JSON object.
func isObjectOrAbsent(raw json.RawMessage) bool {
	k := jsonKind(raw)
	return k == 0 || k == 'n' || k == '{'
}

// isStringOrAbsent reports whether raw is missing, null or a JSON string.
func isStringOrAbsent(raw json.RawMessage) bool {
	k := jsonKind(raw)
	return k == 0 || k == 'n' || k == '"'
}

// checkSubscribe validates the id and payload of a subscribe/start message.
func checkSubscribe(m *inMessage) (*subscribePayload, error) {
	if m.id() == "" {
		return nil, errors.New("missing id")
	}
	if jsonKind(m.Payload) != '{' {
		return nil, errors.New("payload must be an object")
	}
	var p subscribePayload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return nil, fmt.Errorf("invalid payload: %w", err)
	}
	switch {
	case jsonKind(p.Query) != '"':
		return nil, errors.New("payload.query must be a string")
	case !isStringOrAbsent(p.OperationName):
		return nil, errors.New("payload.operationName must be a string")
	case !isObjectOrAbsent(p.Variables):
		return nil, errors.New("payload.variables must be an object")
	case !isObjectOrAbsent(p.Extensions):
		return nil, errors.New("payload.extensions must be an object")
	}
	return &p, nil
}

// encode builds a server message as a text frame. A nil payload is left
// out.
func encode(typ, id string, payload []byte) []byte {
	return encodeWrapped(typ, id, "", payload, "")
}

// encodeWrapped is encode with the payload prefix + payload + suffix; an
// empty prefix and nil payload mean no payload.
func encodeWrapped(typ, id, prefix string, payload []byte, suffix string) []byte {
	var quoted []byte
	if id != "" {
		quoted, _ = json.Marshal(id) // a string always marshals
	}
	withPayload := prefix != "" || payload != nil
	n := len(`{"type":""}`) + len(typ)
	if quoted != nil {
		n += len(`,"id":`) + len(quoted)
	}
	if withPayload {
		n += len(`,"payload":`) + len(prefix) + len(payload) + len(suffix)
	}
	b := newFrame(opText, n)
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, '"')
	if quoted != nil {
		b = append(b, `,"id":`...)
		b = append(b, quoted...)
	}
	if withPayload {
		b = append(b, `,"payload":`...)
		b = append(b, prefix...)
		b = append(b, payload...)
		b = append(b, suffix...)
	}
	return append(b, '}')
}

// trimReason cuts a close reason to the 123 bytes a close frame allows,
// without splitting a UTF-8 sequence.
func trimReason(s string) string {
	if len(s) <= maxCloseReason {
		return s
	}
	i := maxCloseReason
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
