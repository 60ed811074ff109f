package wstransport

import (
	"runtime"
	"sync"
)

// drainPool runs the drains of signalled operations (see conn.drain) on a
// few goroutines that live while there is work. A post to a topic with
// thousands of subscribers makes thousands of operations ready at once:
// a goroutine each would be created and grow its stack (gqlgen's
// execution is deep) for every delivery, which measured about a tenth of
// the server's time during such a fan-out. Drains never wait on the
// network (they write only what a socket takes at once and leave the rest
// to the connection's writer goroutine), so a few workers keep the CPUs
// busy; queued operations are served in order.
//
// Hand-written because it is a dozen lines of FIFO: worker-pool libraries
// add fixed pools or per-task goroutines, the two things avoided here.
type drainPool struct {
	mu      sync.Mutex
	queue   []drainTask
	head    int
	workers int
	max     int
}

// drainTask is an operation to drain and its connection.
type drainTask struct {
	c  *conn
	op *operation
}

// newDrainPool returns a pool of at most max workers (default: four per
// CPU, so that a drain waiting on the database holds up little).
func newDrainPool(max int) *drainPool {
	if max <= 0 {
		max = 4 * runtime.GOMAXPROCS(0)
	}
	return &drainPool{max: max}
}

// submit queues a drain and starts a worker if fewer than max run.
func (p *drainPool) submit(c *conn, op *operation) {
	p.mu.Lock()
	p.queue = append(p.queue, drainTask{c, op})
	start := p.workers < p.max
	if start {
		p.workers++
	}
	p.mu.Unlock()
	if start {
		go p.work()
	}
}

// work runs queued drains until the queue is empty.
func (p *drainPool) work() {
	for {
		t, ok := p.take()
		if !ok {
			return
		}
		t.c.drain(t.op)
	}
}

// take pops the oldest task; with none left the worker stops (ok false).
func (p *drainPool) take() (t drainTask, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.head == len(p.queue) {
		p.workers--
		p.queue, p.head = p.queue[:0], 0
		return drainTask{}, false
	}
	t = p.queue[p.head]
	p.queue[p.head] = drainTask{}
	p.head++
	return t, true
}
