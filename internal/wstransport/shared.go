package wstransport

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bridgesoftrust/hub/internal/readiness"
)

// Shared results. Subscriptions whose viewers Config.ShareKey names alike
// and that run the same operation (query, operation name, variables) get
// the same result for the same value (readiness.Value.Key): the first to
// execute it stores the result's data, the others send it without
// executing gqlgen again. With Config.Probe, a result whose execution read
// nothing of its viewer is stored for every subscription of the operation
// that receives the value, whatever its viewer: the value's key already
// tells audiences apart (the Hub's rows are loaded once per audience), and
// an execution that never looked at its viewer comes out the same for
// any. This is how a post reaches thousands of readers of a topic at the
// cost of a few executions. Only results with data and nothing else are
// shared, and only within groups of two or more running operations.
//
// Hand-written: gqlgen executes each subscription on its own and has no
// notion of equal subscriptions.

// shareGroup names the operations whose results may be shared: a hash of
// the viewer's share key and the operation.
type shareGroup [sha256.Size]byte

// sharedKey is a stored result's key: a value and a share group.
type sharedKey struct {
	value any
	group shareGroup
}

// sharedResults holds the data of recent results and the number of
// running operations in each share group.
type sharedResults struct {
	data *expirable.LRU[sharedKey, []byte]

	mu     sync.Mutex
	groups map[shareGroup]int
}

func newSharedResults() *sharedResults {
	return &sharedResults{
		data:   expirable.NewLRU[sharedKey, []byte](10_000, nil, time.Minute),
		groups: map[shareGroup]int{},
	}
}

// join counts an operation in group; leave uncounts it.
func (s *sharedResults) join(g shareGroup) { s.add(g, 1) }

func (s *sharedResults) leave(g shareGroup) { s.add(g, -1) }

func (s *sharedResults) add(g shareGroup, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.groups[g] += n; s.groups[g] <= 0 {
		delete(s.groups, g)
	}
}

// shared reports whether group has more than one running operation.
func (s *sharedResults) shared(g shareGroup) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.groups[g] > 1
}

// groupsOf returns the share groups of a subscription (viewer and
// operation; operation alone), or false when its results are not to be
// shared (no ShareKey, an empty key, not a subscription).
func (c *conn) groupsOf(ctx context.Context, rc *graphql.OperationContext) (viewerOp, op shareGroup, ok bool) {
	if c.t.shared == nil || rc.Operation == nil || rc.Operation.Operation != ast.Subscription {
		return shareGroup{}, shareGroup{}, false
	}
	viewer := c.cfg.ShareKey(ctx)
	vars, err := json.Marshal(rc.Variables) // map keys sorted: equal variables, equal bytes
	if viewer == "" || err != nil {
		return shareGroup{}, shareGroup{}, false
	}
	operation := [][]byte{[]byte(rc.OperationName), []byte(rc.RawQuery), vars}
	return hashOf(append([][]byte{[]byte("viewer " + viewer)}, operation...)), hashOf(operation), true
}

// hashOf hashes parts, each ended by a zero byte.
func hashOf(parts [][]byte) shareGroup {
	h := sha256.New()
	for _, part := range parts {
		h.Write(part)
		h.Write([]byte{0})
	}
	var g shareGroup
	h.Sum(g[:0])
	return g
}

// probe returns the context in which to execute value v of a shared
// operation and the function that reports whether the execution read its
// viewer (nil: not recorded).
func (c *conn) probe(op *operation, v readiness.Value) (context.Context, func() bool) {
	if !op.sharing || v.Key == nil || c.cfg.Probe == nil {
		return op.nextCtx, nil
	}
	return c.cfg.Probe(op.nextCtx)
}

// reuse sends a stored result for value v of a shared operation, taking
// the value out of the channel unread; false when there is none.
func (c *conn) reuse(op *operation, v readiness.Value) bool {
	if !op.sharing || v.Key == nil || v.Skip == nil || op.ctx.Err() != nil {
		return false
	}
	data, ok := c.t.shared.data.Get(sharedKey{v.Key, op.opGroup})
	if !ok {
		if data, ok = c.t.shared.data.Get(sharedKey{v.Key, op.group}); !ok {
			return false
		}
	}
	v.Skip()
	c.send(encodeWrapped(c.nextType(), op.id, `{"data":`, data, `}`))
	return true
}

// store keeps the result of value v for the other operations of op's
// share group, or, if the execution read nothing of its viewer, of its
// operation, if the group has others and the result has data only.
func (c *conn) store(op *operation, v readiness.Value, resp *graphql.Response, viewerRead func() bool) {
	if !op.sharing || v.Key == nil || !dataOnly(resp) {
		return
	}
	group := op.group
	if viewerRead != nil && !viewerRead() {
		group = op.opGroup
	}
	if c.t.shared.shared(group) {
		c.t.shared.data.Add(sharedKey{v.Key, group}, bytes.Clone(resp.Data))
	}
}
