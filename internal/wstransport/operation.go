package wstransport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/readiness"
)

// operation is one running operation of a connection.
type operation struct {
	id     string
	ctx    context.Context // cancelled when the operation ends; carries signal
	cancel context.CancelFunc
	signal *readiness.Signal

	// A subscription whose resolver claimed the readiness signal (see
	// package readiness) is read only when it announces a value, by the
	// transport's drain workers, instead of by a goroutine of its own that
	// waits for its whole life.
	mu       sync.Mutex
	next     graphql.ResponseHandler // set once the operation is driven by signals
	nextCtx  context.Context
	rc       *graphql.OperationContext
	ready    []readiness.Value // values announced and not yet read
	group    shareGroup        // viewer and operation; see shared.go
	opGroup  shareGroup        // operation alone
	sharing  bool              // the groups are set and counted
	draining bool              // queued for, or run by, a drain worker
	done     bool              // the operation ended: announcements are ignored
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
	if !c.recheck(id) {
		return
	}
	op, err := c.register(id)
	switch {
	case errors.Is(err, errClosing):
		// The connection is closing: nothing more starts.
	case errors.Is(err, errTooManyOperations):
		c.sendErrors(id, gqlerror.List{errTooManyOperations})
	case err != nil:
		c.fail(CloseSubscriberExists, "Subscriber for "+id+" already exists")
	default:
		c.start(op, params, readAt)
	}
}

var (
	errExists  = errors.New("operation id in use")
	errClosing = errors.New("connection closing")
)

// register reserves id for a new operation. Once the connection closes
// (which stops the operations registered under c.mu) nothing registers.
func (c *conn) register(id string) (*operation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.isClosing() {
		return nil, errClosing
	}
	if c.ops.find(id) >= 0 {
		return nil, errExists
	}
	if c.cfg.MaxOperations > 0 && len(c.ops) >= c.cfg.MaxOperations {
		return nil, errTooManyOperations
	}
	// The connection cancels its operations one by one (stopAll), so an
	// operation's context need not hang below the connection's: that
	// spares the connection's context a set of children and a channel.
	ctx, cancel := context.WithCancel(context.WithoutCancel(c.opCtx))
	op := &operation{id: id, cancel: cancel}
	op.ctx, op.signal = readiness.NewContext(ctx, func(v readiness.Value) { c.announced(op, v) })
	c.ops = append(c.ops, op)
	return op, nil
}

// operations are a connection's running operations. A slice, not a map:
// a connection runs a few at a time, and an idle connection's one
// operation then costs no map.
type operations []*operation

// find returns the index of the operation with id, or -1.
func (ops operations) find(id string) int {
	for i, op := range ops {
		if op.id == id {
			return i
		}
	}
	return -1
}

// remove removes the operation at index i.
func (ops *operations) remove(i int) {
	s := *ops
	last := len(s) - 1
	s[i], s[last] = s[last], nil
	*ops = s[:last]
}

// finish cancels the operation and tells a resolver that claimed its
// signal; it may be called more than once.
func (op *operation) finish() {
	op.cancel()
	op.signal.End()
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
	if op.group, op.opGroup, op.sharing = c.groupsOf(ctx, rc); op.sharing {
		c.t.shared.join(op.group)
		c.t.shared.join(op.opGroup)
	}
	go c.run(op, graphql.WithOperationContext(ctx, rc), rc)
}

// run executes an operation, sending each result, then complete (or error
// after a panic). It never blocks on the socket: send only queues. A
// subscription whose resolver announces its values is handed to the drain
// workers, and run returns at once.
func (c *conn) run(op *operation, ctx context.Context, rc *graphql.OperationContext) {
	responses, ctx, ok := c.dispatch(op, ctx, rc)
	if !ok {
		return
	}
	if op.signal.Claimed() {
		c.drive(op, responses, op.signal.Context(), rc)
		return
	}
	for c.respond(op, responses, ctx, rc) {
	}
}

// dispatch starts the operation; ok is false if it panicked (the error
// was sent and the operation released).
func (c *conn) dispatch(op *operation, ctx context.Context, rc *graphql.OperationContext) (responses graphql.ResponseHandler, _ context.Context, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			c.sendErrors(op.id, c.recovered(ctx, rc, r))
			c.release(op, false)
		}
	}()
	responses, ctx = c.exec.DispatchOperation(ctx, rc)
	return responses, ctx, true
}

// respond sends the operation's next result and reports whether more may
// follow; at the end it sends complete (or error after a panic) and
// releases the operation.
func (c *conn) respond(op *operation, responses graphql.ResponseHandler, ctx context.Context, rc *graphql.OperationContext) (more bool) {
	return c.respondWith(op, responses, ctx, rc, nil)
}

// respondStoring is respond for the value v of a signalled operation,
// storing the result for its share group.
func (c *conn) respondStoring(op *operation, v readiness.Value) bool {
	ctx, viewerRead := c.probe(op, v)
	return c.respondWith(op, op.next, ctx, op.rc, func(resp *graphql.Response) { c.store(op, v, resp, viewerRead) })
}

// respondWith is respond, handing the result to keep (unless nil) before
// it is sent.
func (c *conn) respondWith(op *operation, responses graphql.ResponseHandler, ctx context.Context, rc *graphql.OperationContext, keep func(*graphql.Response)) (more bool) {
	defer func() {
		if r := recover(); r != nil {
			c.sendErrors(op.id, c.recovered(ctx, rc, r))
			c.end(op, false)
		}
	}()
	resp := responses(ctx)
	if resp == nil || op.ctx.Err() != nil {
		c.end(op, true)
		return false
	}
	if keep != nil {
		keep(resp)
	}
	c.sendNext(op.id, resp)
	return true
}

// drive hands a signalled operation its response handler; values may have
// been announced already, while the resolver ran.
func (c *conn) drive(op *operation, responses graphql.ResponseHandler, ctx context.Context, rc *graphql.OperationContext) {
	op.mu.Lock()
	op.next, op.nextCtx, op.rc = responses, ctx, rc
	queue := op.queueLocked()
	op.mu.Unlock()
	if queue {
		c.t.drains.submit(c, op)
	}
}

// announced counts a value announced by a signalled operation's resolver
// and queues the operation for a drain worker unless it is queued.
func (c *conn) announced(op *operation, v readiness.Value) {
	op.mu.Lock()
	op.ready = append(op.ready, v)
	queue := op.queueLocked()
	op.mu.Unlock()
	if queue {
		c.t.drains.submit(c, op)
	}
}

// queueLocked reports whether the operation must be queued for a drain:
// its handler is known, values wait and it is not queued. op.mu is held.
func (op *operation) queueLocked() bool {
	if op.next == nil || op.draining || op.done || len(op.ready) == 0 {
		return false
	}
	op.draining = true
	return true
}

// drain sends the announced values of a signalled operation, in order;
// each read returns at once, as the value is in the channel already. A
// result stored by another operation of the share group is sent instead
// of executing the operation (see shared.go).
func (c *conn) drain(op *operation) {
	for {
		v, ok := op.nextReady()
		if !ok {
			return
		}
		if c.reuse(op, v) {
			continue
		}
		if !c.respondStoring(op, v) {
			return
		}
	}
}

// nextReady takes the oldest announced value; with none left (or the
// operation ended) it ends the drain.
func (op *operation) nextReady() (readiness.Value, bool) {
	op.mu.Lock()
	defer op.mu.Unlock()
	if len(op.ready) == 0 || op.done {
		op.draining = false
		op.ready = nil
		return readiness.Value{}, false
	}
	v := op.ready[0]
	op.ready[0] = readiness.Value{}
	op.ready = op.ready[1:]
	return v, true
}

// end marks an operation ended, so that later announcements are ignored,
// and releases it.
func (c *conn) end(op *operation, complete bool) {
	op.mu.Lock()
	op.done = true
	op.mu.Unlock()
	c.release(op, complete)
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
	if i := c.ops.find(op.id); i >= 0 && c.ops[i] == op {
		c.ops.remove(i)
	}
	c.mu.Unlock()
	stopped := op.ctx.Err() != nil
	op.finish()
	if op.sharing {
		c.t.shared.leave(op.group)
		c.t.shared.leave(op.opGroup)
	}
	if complete && !stopped {
		c.send(encode(msgComplete, op.id, nil))
	}
}

// stop ends an operation on the client's request (complete, or stop on
// graphql-ws). Unknown ids are ignored, as the protocol asks.
func (c *conn) stop(id string) {
	c.mu.Lock()
	var op *operation
	if i := c.ops.find(id); i >= 0 {
		op = c.ops[i]
		c.ops.remove(i)
	}
	c.mu.Unlock()
	if op != nil {
		op.finish()
	}
}

// stopAll ends every operation of a closing connection.
func (c *conn) stopAll() {
	c.mu.Lock()
	ops := c.ops
	c.ops = nil
	c.mu.Unlock()
	for _, op := range ops {
		op.finish()
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
