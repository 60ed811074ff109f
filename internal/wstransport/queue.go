package wstransport

import "sync"

// pushResult tells what became of a message offered to a sendQueue.
type pushResult int

const (
	pushed  pushResult = iota // queued for the writer
	full                      // the queue is at its limit: a slow consumer
	dropped                   // the queue is closed: the connection is ending
)

// sendQueue is the bounded queue between producers (the reader, the
// operation goroutines, the keep-alive timer) and a connection's writer.
// Unlike a buffered channel it allocates no room for its limit up front, and
// it runs the writer goroutine only while there is work: when work arrives
// and no writer runs, the producer is told to start one. So at most one
// writer runs per connection, producers never block, and an idle connection
// holds neither queue storage nor a writer stack.
type sendQueue struct {
	mu      sync.Mutex
	items   [][]byte
	limit   int
	closed  bool // no more items are accepted
	ping    bool // a keep-alive is due
	final   bool // the connection is closing: the writer's last task
	partial bool // items[0] is the end of a frame begun
	running bool // a writer holds the role (see conn.wake)
}

// work is what the writer takes from the queue in one go.
type work struct {
	items   [][]byte
	ping    bool
	final   bool
	partial bool // items[0] is the end of a frame begun
}

// push appends msg unless the queue is full or closed; start tells the
// caller to start the writer.
func (q *sendQueue) push(msg []byte) (res pushResult, start bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return dropped, false
	}
	if len(q.items) >= q.limit {
		return full, false
	}
	q.items = append(q.items, msg)
	return pushed, q.wakeLocked()
}

// keepAlive asks the writer for a keep-alive; start as for push.
func (q *sendQueue) keepAlive() (start bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.ping = true
	return q.wakeLocked()
}

// finish closes the queue and asks the writer for its last task; start as
// for push.
func (q *sendQueue) finish() (start bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed, q.final = true, true
	return q.wakeLocked()
}

// wakeLocked marks the writer running and reports whether it must be
// started. q.mu is held.
func (q *sendQueue) wakeLocked() bool {
	if q.running {
		return false
	}
	q.running = true
	return true
}

// next hands the writer its pending work, moving the items out (spare,
// when small, becomes the next storage). With nothing pending it marks the
// writer stopped and returns ok false: the writer must then exit.
func (q *sendQueue) next(spare [][]byte) (w work, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 && !q.ping && !q.final {
		q.running = false
		return work{}, false
	}
	w = work{items: q.items, ping: q.ping, final: q.final, partial: q.partial}
	if cap(spare) > 16 {
		spare = nil // let a burst's storage go
	}
	q.items, q.ping, q.final, q.partial = spare[:0], false, false, false
	return w, true
}

// requeue puts back work that the writer took but did not do, ahead of
// what was queued since; the caller keeps the writer role.
func (q *sendQueue) requeue(w work) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(w.items) > 0 {
		q.items = append(w.items, q.items...)
		q.partial = w.partial
	}
	q.ping = q.ping || w.ping
	q.final = q.final || w.final
}
