package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// postQuery is what every subscriber runs.
const postQuery = `subscription($t: ID!) { postAdded(topicId: $t) { id body } }`

// handshakeTimeout bounds the opening of one connection.
const handshakeTimeout = 60 * time.Second

// subscriber is one connection with one postAdded subscription. Its reader
// goroutine owns the fields below received; received is read by others.
type subscriber struct {
	ws    *websocket.Conn
	clock *clock
	topic int // index in the run's topics

	received atomic.Int64
	warm     chan struct{}
	done     chan struct{}

	warmed     bool
	latencies  []time.Duration // by slot (see clock.slot); 0 until received
	duplicates int
	unexpected []string
	err        error
}

// openSubscribers opens connections from (counting from 0) up to to,
// cfg.dialers at a time, and returns those that subscribed and the number
// that failed.
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
				s, err := subscribe(ctx, url, cfg, int(n), ck)
				mu.Lock()
				if err != nil {
					if failed == 0 {
						logf("first failed connection: %v", err)
					}
					failed++
				} else {
					subs = append(subs, s)
					if len(subs)%1000 == 0 {
						logf("%d connections subscribed", len(subs))
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return subs, failed
}

// subscribe opens connection n (counting from 0) from its source address,
// initialises it with its credentials and subscribes to its topic.
func subscribe(ctx context.Context, url string, cfg config, n int, ck *clock) (*subscriber, error) {
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
	topic := n % len(cfg.topicIDs)
	if err := initialise(ws, cfg, cfg.tokens[n%len(cfg.tokens)], cfg.topicIDs[topic]); err != nil {
		ws.Close()
		return nil, err
	}
	s := &subscriber{ws: ws, clock: ck, topic: topic, warm: make(chan struct{}), done: make(chan struct{}), latencies: make([]time.Duration, ck.slots(topic))}
	go s.read()
	return s, nil
}

// initialise sends connection_init, waits for connection_ack and sends
// the subscription to topic.
func initialise(ws *websocket.Conn, cfg config, token, topic string) error {
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
	return ws.WriteJSON(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{
		"query": postQuery, "variables": map[string]any{"t": topic},
	}})
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

// read handles messages until the connection ends.
func (s *subscriber) read() {
	defer close(s.done)
	for {
		_, data, err := s.ws.ReadMessage()
		if err != nil {
			s.err = err
			return
		}
		s.handle(data, time.Now())
	}
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
