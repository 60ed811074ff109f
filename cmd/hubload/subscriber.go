package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// postQuery is what every subscriber runs.
const postQuery = `subscription($t: ID!) { postAdded(topicId: $t) { id body } }`

// handshakeTimeout bounds the opening of one connection.
const handshakeTimeout = 60 * time.Second

// subscriber is one postAdded subscription, on a connection that may
// carry others (see -per-connection). Its connection's reader goroutine
// owns the fields below received; received is read by others.
type subscriber struct {
	ws    *websocket.Conn // its connection's, shared with the others on it
	clock *clock
	topic int // index in the run's topics

	received atomic.Int64
	warm     chan struct{}
	done     chan struct{} // closed when its connection's reader ends

	warmed     bool
	latencies  []time.Duration // by slot (see clock.slot); 0 until received
	duplicates int
	unexpected []string
	err        error
}

// connection is one websocket and the subscribers on it, by subscription
// id.
type connection struct {
	ws   *websocket.Conn
	subs map[string]*subscriber
	only *subscriber // the one subscriber, when it carries one
	done chan struct{}
}

// openSubscribers opens connections from (counting from 0) up to to,
// cfg.dialers at a time, and returns the subscribers of those that
// subscribed and the number of subscribers on those that failed.
func openSubscribers(ctx context.Context, cfg config, url string, ck *clock, from, to int) ([]*subscriber, int) {
	var (
		mu     sync.Mutex
		subs   []*subscriber
		failed int
		next   atomic.Int64
		wg     sync.WaitGroup
	)
	next.Store(int64(from))
	for range min(cfg.dialers, to-from) {
		wg.Go(func() {
			for n := next.Add(1) - 1; n < int64(to) && ctx.Err() == nil; n = next.Add(1) - 1 {
				opened, err := subscribe(ctx, url, cfg, int(n), ck)
				mu.Lock()
				if err != nil {
					if failed == 0 {
						logf("first failed connection: %v", err)
					}
					failed += len(subscriptionsOf(cfg, int(n)))
				} else {
					before := len(subs) / 1000
					subs = append(subs, opened...)
					if len(subs)/1000 > before {
						logf("%d subscribers subscribed", len(subs))
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return subs, failed
}

// connections returns how many connections carry cfg.subscribers
// subscribers, cfg.perConn each.
func connections(cfg config) int {
	return (cfg.subscribers + cfg.perConn - 1) / cfg.perConn
}

// subscriptionsOf returns the subscribers (counting from 0) that
// connection n carries.
func subscriptionsOf(cfg config, n int) []int {
	var subs []int
	for i := n * cfg.perConn; i < min((n+1)*cfg.perConn, cfg.subscribers); i++ {
		subs = append(subs, i)
	}
	return subs
}

// subscribe opens connection n (counting from 0) from its source address,
// initialises it with its credentials and subscribes each of its
// subscribers to its topic (subscriber i to topic i mod the topics).
func subscribe(ctx context.Context, url string, cfg config, n int, ck *clock) ([]*subscriber, error) {
	d := websocket.Dialer{
		Subprotocols:     []string{"graphql-transport-ws"},
		HandshakeTimeout: handshakeTimeout,
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
		NetDialContext:   sourceDialer(n, cfg.sources).DialContext,
	}
	ws, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	if err := initialise(ws, cfg, cfg.tokens[n%len(cfg.tokens)]); err != nil {
		ws.Close()
		return nil, err
	}
	c := &connection{ws: ws, subs: map[string]*subscriber{}, done: make(chan struct{})}
	var subs []*subscriber
	for _, i := range subscriptionsOf(cfg, n) {
		topic := i % len(cfg.topicIDs)
		id := strconv.Itoa(len(subs) + 1)
		err := ws.WriteJSON(map[string]any{"type": "subscribe", "id": id, "payload": map[string]any{
			"query": postQuery, "variables": map[string]any{"t": cfg.topicIDs[topic]},
		}})
		if err != nil {
			ws.Close()
			return nil, err
		}
		s := &subscriber{ws: ws, clock: ck, topic: topic, warm: make(chan struct{}), done: c.done, latencies: make([]time.Duration, ck.slots(topic))}
		c.subs[id] = s
		subs = append(subs, s)
	}
	if len(subs) == 1 {
		c.only = subs[0]
	}
	go c.read()
	return subs, nil
}

// initialise sends connection_init and waits for connection_ack.
func initialise(ws *websocket.Conn, cfg config, token string) error {
	payload := map[string]any{}
	if !cfg.anonymous {
		payload["authorization"] = "Bearer " + token
	}
	if err := ws.WriteJSON(map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		return err
	}
	_ = ws.SetReadDeadline(time.Now().Add(handshakeTimeout))
	var ack struct{ Type string }
	if err := ws.ReadJSON(&ack); err != nil {
		return err
	}
	if ack.Type != "connection_ack" {
		return fmt.Errorf("got %s, want connection_ack", ack.Type)
	}
	_ = ws.SetReadDeadline(time.Time{})
	return nil
}

// message is the part of a server message the subscriber looks at.
type message struct {
	Type    string `json:"type"`
	Payload struct {
		Data struct {
			PostAdded struct{ Body string } `json:"postAdded"`
		} `json:"data"`
		Errors []struct{ Message string } `json:"errors"`
	} `json:"payload"`
}

// read hands each message to its subscriber until the connection ends.
func (c *connection) read() {
	defer close(c.done)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			for _, s := range c.subs {
				s.err = err
			}
			return
		}
		s, ok := c.only, c.only != nil // one subscription: no id to read
		if !ok {
			s, ok = c.subs[messageID(data)]
		}
		if !ok {
			for _, s = range c.subs { // a message of no subscription: any will report it
				break
			}
			s.unexpected = append(s.unexpected, string(data))
			continue
		}
		s.handle(data, time.Now())
	}
}

// messageID returns the subscription id of a server message. The Hub
// writes "type" then "id" first, so it is read without decoding the
// message (see postBody); anything else is decoded.
func messageID(data []byte) string {
	const prefix = `{"type":"next","id":"`
	if rest, ok := bytes.CutPrefix(data, []byte(prefix)); ok {
		if id, _, ok := bytes.Cut(rest, []byte(`"`)); ok {
			return string(id)
		}
	}
	var m struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(data, &m)
	return m.ID
}

// handle records one message received at now.
func (s *subscriber) handle(data []byte, now time.Time) {
	body, ok := postBody(data)
	if !ok {
		s.unexpected = append(s.unexpected, string(data))
		return
	}
	if body == s.clock.warmBody() {
		if !s.warmed {
			s.warmed = true
			close(s.warm)
		}
		return
	}
	seq, ok := s.clock.seq(body)
	switch {
	case !ok || s.clock.topic(seq) != s.topic:
		s.unexpected = append(s.unexpected, string(data))
	case s.latencies[s.clock.slot(seq)] != 0:
		s.duplicates++
	default:
		s.latencies[s.clock.slot(seq)] = max(now.Sub(time.Unix(0, s.clock.sentAt[seq].Load())), 1)
		s.received.Add(1)
	}
}

// postBody returns the body of the post a next message carries. The
// bodies hubload writes need no JSON escapes, so it looks for them without
// decoding the message (which would cost this process, on the server's
// machine, more CPU than the server's writing it); anything else is
// decoded.
func postBody(data []byte) (string, bool) {
	const prefix, key = `{"type":"next"`, `"body":"`
	if bytes.HasPrefix(data, []byte(prefix)) && !bytes.Contains(data, []byte(`"errors"`)) {
		if _, rest, ok := bytes.Cut(data, []byte(key)); ok {
			if body, _, ok := bytes.Cut(rest, []byte(`"`)); ok && bytes.IndexByte(body, '\\') < 0 {
				return string(body), true
			}
		}
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil || m.Type != "next" || len(m.Payload.Errors) > 0 {
		return "", false
	}
	return m.Payload.Data.PostAdded.Body, true
}

// closeAll closes every connection normally and waits (a while) for the
// readers to end, so that their records can be read. Closing twice does
// no harm.
func closeAll(subs []*subscriber) {
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "done")
	for _, s := range subs {
		_ = s.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	}
	deadline := time.After(10 * time.Second)
	for _, s := range subs {
		select {
		case <-s.done:
		case <-deadline:
		}
		_ = s.ws.Close()
		<-s.done
	}
}
