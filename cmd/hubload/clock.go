package main

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// clock numbers the posts of a run and holds when each was sent. Post seq
// goes to topic seq mod topics (the topics in turn); a subscriber of that
// topic records it in slot seq / topics.
type clock struct {
	run     string
	topics  int
	sentAt  []atomic.Int64 // Unix nanoseconds, set just before the request goes out; 0 until then
	written []atomic.Bool  // whether the post was written
	took    []atomic.Int64 // how long its createPost request took (nanoseconds)
}

// newClock returns the clock of a run of posts over topics.
func newClock(posts, topics int) *clock {
	return &clock{
		run:     strconv.FormatInt(time.Now().UnixNano(), 36),
		topics:  topics,
		sentAt:  make([]atomic.Int64, posts),
		written: make([]atomic.Bool, posts),
		took:    make([]atomic.Int64, posts),
	}
}

// body returns the body of post seq, which subscribers match on.
func (c *clock) body(seq int) string { return "hubload " + c.run + " " + strconv.Itoa(seq) }

// warmBody is the body of the warm-up posts (one per topic).
func (c *clock) warmBody() string { return "hubload " + c.run + " warm-up" }

// seq returns the sequence number of a post of this run from its body.
func (c *clock) seq(body string) (int, bool) {
	rest, ok := strings.CutPrefix(body, "hubload "+c.run+" ")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || n >= len(c.sentAt) {
		return 0, false
	}
	return n, true
}

// topic is the index of the topic post seq goes to.
func (c *clock) topic(seq int) int { return seq % c.topics }

// slot is where a subscriber of post seq's topic records it.
func (c *clock) slot(seq int) int { return seq / c.topics }

// slots is how many of the run's posts go to topic t.
func (c *clock) slots(t int) int { return (len(c.sentAt) - t + c.topics - 1) / c.topics }

// expected is how many deliveries the posts written call for: each to
// every subscriber of its topic.
func (c *clock) expected(subs []*subscriber) int {
	perTopic := make([]int, c.topics)
	for _, s := range subs {
		perTopic[s.topic]++
	}
	n := 0
	for seq := range c.written {
		if c.written[seq].Load() {
			n += perTopic[c.topic(seq)]
		}
	}
	return n
}

// writeTimes returns how long the posts written took to write, sorted.
func (c *clock) writeTimes() []time.Duration {
	var ds []time.Duration
	for seq := range c.took {
		if c.written[seq].Load() {
			ds = append(ds, time.Duration(c.took[seq].Load()))
		}
	}
	return sorted(ds)
}
