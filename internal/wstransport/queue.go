package wstransport

import "sync"

// pushResult tells what became of a message offered to a sendQueue.
type pushResult int

const (
	pushed  pushResult = iota // queued for the writer
	full                      // the queue is at its limit: a slow consumer
	dropped                   // the queue is closed: the connection is ending
)

// sendQueue is the bounded queue between producers (the reader and the
// operation goroutines) and a connection's writer goroutine. Unlike a
// buffered channel, it allocates no room for its limit up front, so an idle
// connection holds almost nothing; push never blocks.
type sendQueue struct {
	mu     sync.Mutex
	items  [][]byte
	limit  int
	closed bool
	ready  chan struct{} // signalled (capacity 1) when items were added
}

func newSendQueue(limit int) *sendQueue {
	return &sendQueue{limit: limit, ready: make(chan struct{}, 1)}
}

// push appends msg unless the queue is full or closed.
func (q *sendQueue) push(msg []byte) pushResult {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return dropped
	}
	if len(q.items) >= q.limit {
		return full
	}
	q.items = append(q.items, msg)
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return pushed
}

// take moves the queued messages into spare (reused as the next queue
// storage when it is small) and returns them.
func (q *sendQueue) take(spare [][]byte) [][]byte {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	if cap(spare) > 16 {
		spare = nil // let a burst's storage go
	}
	q.items = spare[:0]
	return items
}

// close makes later pushes drop their messages.
func (q *sendQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}
