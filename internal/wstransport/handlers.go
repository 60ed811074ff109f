package wstransport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// handleTransportWS handles one graphql-transport-ws message. Anything the
// protocol does not allow closes the socket with 4400.
func (c *conn) handleTransportWS(data []byte) {
	m, err := parseMessage(data)
	if err != nil {
		c.fail(CloseBadRequest, reasonInvalidPrefix+err.Error())
		return
	}
	switch m.Type {
	case msgConnectionInit, msgPing, msgPong:
		if !isObjectOrAbsent(m.Payload) {
			c.fail(CloseBadRequest, reasonInvalidPrefix+m.Type+" payload must be an object")
			return
		}
		c.handleControl(m)
	case msgSubscribe:
		p, err := checkSubscribe(m)
		if err != nil {
			c.fail(CloseBadRequest, reasonInvalidPrefix+err.Error())
			return
		}
		c.subscribe(m.id(), p)
	case msgComplete:
		if m.id() == "" {
			c.fail(CloseBadRequest, reasonInvalidPrefix+"missing id")
			return
		}
		c.stop(m.id())
	default:
		c.fail(CloseBadRequest, "Unexpected message of type "+strconv.Quote(m.Type)+" received")
	}
}

// handleControl handles connection_init, ping and pong.
func (c *conn) handleControl(m *inMessage) {
	switch m.Type {
	case msgConnectionInit:
		c.handleInit(m.Payload)
	case msgPing:
		var echo []byte
		if jsonKind(m.Payload) == '{' {
			echo = m.Payload
		}
		c.send(encode(msgPong, "", echo))
	}
}

// handleLegacy handles one graphql-ws (subscriptions-transport-ws) message.
// As that protocol asks, a malformed message is answered, not fatal.
func (c *conn) handleLegacy(data []byte) {
	m, err := parseMessage(data)
	if err != nil {
		c.send(encode(msgConnectionError, "", errorObject("Message must be a JSON object with a type: "+err.Error())))
		return
	}
	switch m.Type {
	case msgConnectionInit:
		if !isObjectOrAbsent(m.Payload) {
			c.send(encode(msgConnectionError, "", errorObject("connection_init payload must be an object")))
			return
		}
		c.handleInit(m.Payload)
	case msgStart:
		c.legacyStart(m)
	case msgStop:
		c.stop(m.id())
	case msgConnectionTerminate:
		c.closeWith(closeInfo{code: 1000, reason: "terminated", frame: true, flush: true})
	default:
		c.sendErrors(m.id(), gqlerror.List{{Message: "Invalid message type " + strconv.Quote(m.Type)}})
	}
}

// legacyStart handles start: a malformed one gets an error message.
func (c *conn) legacyStart(m *inMessage) {
	p, err := checkSubscribe(m)
	switch {
	case err != nil && m.id() == "":
		c.send(encode(msgConnectionError, "", errorObject(err.Error())))
	case err != nil:
		c.sendErrors(m.id(), gqlerror.List{{Message: err.Error()}})
	default:
		c.subscribe(m.id(), p)
	}
}

// handleInit handles connection_init: once only, authenticated by InitFunc.
func (c *conn) handleInit(raw json.RawMessage) {
	if c.initReceived.Swap(true) {
		c.fail(CloseTooManyInit, reasonTooManyInit)
		return
	}
	c.stopInitTimer()
	payload := InitPayload{}
	if jsonKind(raw) == '{' {
		if err := decodeNumbers(raw, &payload); err != nil {
			c.fail(CloseBadRequest, reasonInvalidPrefix+err.Error())
			return
		}
	}
	ctx, ack, err := c.authenticate(payload)
	if err != nil {
		c.refuse(err)
		return
	}
	if c.cfg.DropInitPayload {
		payload = droppedPayload
	}
	c.opCtx = withInitPayload(ctx, payload)
	c.acked = true
	c.send(encode(msgConnectionAck, "", marshalAck(ack)))
	if c.legacy {
		c.send(encode(msgKeepAlive, "", nil))
	}
}

// authenticate runs InitFunc, turning a panic into an error.
func (c *conn) authenticate(p InitPayload) (ctx context.Context, ack *InitPayload, err error) {
	if c.cfg.InitFunc == nil {
		return c.base, nil, nil
	}
	defer func() {
		if r := recover(); r != nil {
			c.cfg.Logger.ErrorContext(c.base, "websocket InitFunc panicked", "panic", r)
			ctx, ack, err = nil, nil, errInitPanic
		}
	}()
	ctx, ack, err = c.cfg.InitFunc(c.base, p)
	if ctx == nil {
		ctx = c.base
	}
	return ctx, ack, err
}

// errInitPanic stands for a panic in InitFunc.
var errInitPanic = errors.New("Internal server error")

// refuse closes a connection whose initialisation InitFunc refused.
func (c *conn) refuse(err error) {
	if errors.Is(err, errInitPanic) {
		c.fail(CloseInternalError, err.Error())
		return
	}
	reason := err.Error()
	if reason == "" {
		reason = reasonForbidden
	}
	if c.legacy {
		c.send(encode(msgConnectionError, "", errorObject(reason)))
	}
	c.fail(CloseForbidden, reason)
}

// marshalAck encodes the connection_ack payload; nil when there is none.
func marshalAck(ack *InitPayload) []byte {
	if ack == nil {
		return nil
	}
	b, err := json.Marshal(*ack)
	if err != nil {
		return nil
	}
	return b
}

// errorObject encodes {"message": msg}.
func errorObject(msg string) []byte {
	b, _ := json.Marshal(map[string]string{"message": msg})
	return b
}

// sendErrors sends an error message for an operation.
func (c *conn) sendErrors(id string, errs gqlerror.List) {
	c.send(errorMessage(id, errs))
}

// errorMessage encodes an error message of operation id.
func errorMessage(id string, errs gqlerror.List) []byte {
	b, err := json.Marshal(errs)
	if err != nil {
		b = []byte(`[{"message":"internal server error"}]`)
	}
	return encode(msgError, id, b)
}

// sendNext sends a result of an operation (next, or data on graphql-ws).
func (c *conn) sendNext(id string, resp *graphql.Response) {
	c.send(c.nextMessage(id, resp))
}

// nextMessage encodes a result of an operation, or an error message if it
// cannot be encoded.
func (c *conn) nextMessage(id string, resp *graphql.Response) []byte {
	typ := c.nextType()
	if dataOnly(resp) {
		// The usual subscription event: written directly, as json.Marshal
		// would check and compact the data gqlgen wrote (a twentieth of
		// the time of a delivery).
		return encodeWrapped(typ, id, `{"data":`, resp.Data, `}`)
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return errorMessage(id, gqlerror.List{{Message: fmt.Sprintf("encoding the result: %v", err)}})
	}
	return encode(typ, id, b)
}

// nextType is the type of result messages: next, or data on graphql-ws.
func (c *conn) nextType() string {
	if c.legacy {
		return msgData
	}
	return msgNext
}

// dataOnly reports whether a response has data and nothing else.
func dataOnly(resp *graphql.Response) bool {
	return len(resp.Data) > 0 && len(resp.Errors) == 0 && len(resp.Extensions) == 0 &&
		resp.Label == "" && resp.Path == nil && resp.HasNext == nil
}
