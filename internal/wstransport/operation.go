package wstransport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// operation is one running operation of a connection.
type operation struct {
	id     string
	ctx    context.Context
	cancel context.CancelFunc
}

// errTooManyOperations is sent for an operation over Config.MaxOperations.
var errTooManyOperations = &gqlerror.Error{
	Message:    "too many operations on this connection",
	Extensions: map[string]any{"code": "TOO_MANY_OPERATIONS"},
}

// subscribe starts an operation requested by subscribe (or start).
func (c *conn) subscribe(id string, p *subscribePayload) {
	readAt := graphql.Now()
	if !c.acked {
		c.fail(CloseUnauthorized, reasonUnauthorized)
		return
	}
	params, err := p.rawParams()
	if err != nil {
		c.fail(CloseBadRequest, reasonInvalidPrefix+err.Error())
		return
	}
	op, err := c.register(id)
	switch {
	case errors.Is(err, errTooManyOperations):
		c.sendErrors(id, gqlerror.List{errTooManyOperations})
	case err != nil:
		c.fail(CloseSubscriberExists, "Subscriber for "+id+" already exists")
	default:
		c.start(op, params, readAt)
	}
}

var errExists = errors.New("operation id in use")

// register reserves id for a new operation.
func (c *conn) register(id string) (*operation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.ops[id]; ok {
		return nil, errExists
	}
	if c.cfg.MaxOperations > 0 && len(c.ops) >= c.cfg.MaxOperations {
		return nil, errTooManyOperations
	}
	ctx, cancel := context.WithCancel(c.opCtx)
	op := &operation{id: id, ctx: ctx, cancel: cancel}
	c.ops[id] = op
	return op, nil
}

// start parses and validates the operation here, in the reader, and runs it
// in a goroutine of its own.
func (c *conn) start(op *operation, params *graphql.RawParams, readAt time.Time) {
	ctx := graphql.StartOperationTrace(op.ctx)
	params.ReadTime = graphql.TraceTiming{Start: readAt, End: graphql.Now()}
	params.Headers = c.headers
	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			c.sendErrors(op.id, resp.Errors) // parse and validation errors
			c.release(op, false)
			return
		}
		c.sendNext(op.id, resp) // e.g. PersistedQueryNotFound, as APQ clients expect
		c.release(op, true)
		return
	}
	go c.run(op, graphql.WithOperationContext(ctx, rc), rc)
}

// run executes an operation, sending each result, then complete (or error
// after a panic). It never blocks on the socket: send only queues.
func (c *conn) run(op *operation, ctx context.Context, rc *graphql.OperationContext) {
	ok := false
	defer func() {
		if r := recover(); r != nil {
			c.sendErrors(op.id, c.recovered(ctx, rc, r))
		}
		c.release(op, ok)
	}()
	responses, ctx := c.exec.DispatchOperation(ctx, rc)
	for {
		resp := responses(ctx)
		if resp == nil || op.ctx.Err() != nil {
			break
		}
		c.sendNext(op.id, resp)
	}
	ok = true
}

// recovered turns a panic of an operation into presented errors.
func (c *conn) recovered(ctx context.Context, rc *graphql.OperationContext, r any) gqlerror.List {
	err := rc.Recover(ctx, r)
	var gqlErr *gqlerror.Error
	if !errors.As(err, &gqlErr) {
		gqlErr = &gqlerror.Error{Message: "internal server error"}
	}
	return c.exec.DispatchError(ctx, gqlerror.List{gqlErr}).Errors
}

// release frees an operation's id and resources; it sends complete if asked
// and the operation was not stopped (by the client or the connection).
func (c *conn) release(op *operation, complete bool) {
	c.mu.Lock()
	if c.ops[op.id] == op {
		delete(c.ops, op.id)
	}
	c.mu.Unlock()
	stopped := op.ctx.Err() != nil
	op.cancel()
	if complete && !stopped {
		c.send(encode(msgComplete, op.id, nil))
	}
}

// stop ends an operation on the client's request (complete, or stop on
// graphql-ws). Unknown ids are ignored, as the protocol asks.
func (c *conn) stop(id string) {
	c.mu.Lock()
	op := c.ops[id]
	delete(c.ops, id)
	c.mu.Unlock()
	if op != nil {
		op.cancel()
	}
}

// stopAll cancels every operation of a closing connection.
func (c *conn) stopAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, op := range c.ops {
		op.cancel()
		delete(c.ops, id)
	}
}

// rawParams decodes the payload into gqlgen's request parameters, numbers
// kept as json.Number as gqlgen's other transports do.
func (p *subscribePayload) rawParams() (*graphql.RawParams, error) {
	params := &graphql.RawParams{}
	if err := json.Unmarshal(p.Query, &params.Query); err != nil {
		return nil, err
	}
	if jsonKind(p.OperationName) == '"' {
		if err := json.Unmarshal(p.OperationName, &params.OperationName); err != nil {
			return nil, err
		}
	}
	if jsonKind(p.Variables) == '{' {
		if err := decodeNumbers(p.Variables, &params.Variables); err != nil {
			return nil, err
		}
	}
	if jsonKind(p.Extensions) == '{' {
		if err := decodeNumbers(p.Extensions, &params.Extensions); err != nil {
			return nil, err
		}
	}
	return params, nil
}

// decodeNumbers decodes raw into v with numbers as json.Number.
func decodeNumbers(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}
