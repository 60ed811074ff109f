package wstransport_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// credentials is a fake credential store for the transport's hooks: each
// connection's InitFunc records its Conn; Recheck answers with state.
type credentials struct {
	mu    sync.Mutex
	conns []wstransport.Conn
	state error // nil while the credentials hold
}

func (cr *credentials) config() wstransport.Config {
	return wstransport.Config{
		InitFunc: func(ctx context.Context, _ wstransport.InitPayload) (context.Context, *wstransport.InitPayload, error) {
			conn, ok := wstransport.ConnFromContext(ctx)
			if !ok {
				return ctx, nil, errors.New("no connection in InitFunc's context")
			}
			cr.mu.Lock()
			cr.conns = append(cr.conns, conn)
			cr.mu.Unlock()
			return context.WithValue(ctx, viewerKey{}, "alice"), nil, nil
		},
		Recheck: func(ctx context.Context) error {
			if ctx.Value(viewerKey{}) != "alice" {
				return errors.New("Recheck did not get InitFunc's context")
			}
			cr.mu.Lock()
			defer cr.mu.Unlock()
			return cr.state
		},
	}
}

func (cr *credentials) set(err error) {
	cr.mu.Lock()
	cr.state = err
	cr.mu.Unlock()
}

// errorCode returns extensions.code of the first error of an error message.
func errorCode(t *testing.T, m message) string {
	t.Helper()
	var errs []struct {
		Message    string
		Extensions map[string]any
	}
	if m.Type != "error" || json.Unmarshal(m.Payload, &errs) != nil || len(errs) == 0 {
		t.Fatalf("got %s %s, want an error message", m.Type, m.Payload)
	}
	code, _ := errs[0].Extensions["code"].(string)
	return code
}

// TestRecheckBeforeEachOperation checks Config.Recheck: operations run
// while the credentials hold; once they do not, the next operation is
// refused (UNAUTHENTICATED) and the connection closed with 4403 and the
// reason; a check that could not be made (ErrUnchecked) refuses the
// operation (UNAVAILABLE) and keeps the connection.
func TestRecheckBeforeEachOperation(t *testing.T) {
	cr := &credentials{}
	_, url := newTestServer(t, cr.config())
	c := dial(t, url)
	c.init(nil)
	c.subscribe("subscribe", "1", "{ name }")
	c.expect("next", "1")
	c.expect("complete", "1")

	cr.set(wstransport.ErrUnchecked)
	c.subscribe("subscribe", "2", "{ name }")
	if code := errorCode(t, c.expect("error", "2")); code != "UNAVAILABLE" {
		t.Errorf("code %q, want UNAVAILABLE", code)
	}
	cr.set(nil)
	c.subscribe("subscribe", "3", "{ name }")
	c.expect("next", "3")
	c.expect("complete", "3")

	cr.set(errors.New("this session has ended"))
	c.subscribe("subscribe", "4", "mutation { name }")
	if code := errorCode(t, c.expect("error", "4")); code != "UNAUTHENTICATED" {
		t.Errorf("code %q, want UNAUTHENTICATED", code)
	}
	c.expectClose(wstransport.CloseForbidden, "this session has ended")
}

// TestConnCloseEndsSubscriptions checks the handle ConnFromContext gives:
// Close ends that connection alone, with its code and reason, and its
// running subscription; the other connection keeps its own.
func TestConnCloseEndsSubscriptions(t *testing.T) {
	cr := &credentials{}
	h := newHub()
	url := mount(t, h.server(), wstransport.New(cr.config()))
	closed, kept := dial(t, url), dial(t, url)
	for _, c := range []*client{closed, kept} {
		c.init(nil)
		c.subscribe("subscribe", "s", "subscription { events }")
	}
	waitFor(t, "subscriptions", func() bool { return h.count() == 2 })

	cr.mu.Lock()
	first := cr.conns[0]
	cr.mu.Unlock()
	first.Close(wstransport.CloseForbidden, "credentials changed")
	first.Close(wstransport.CloseForbidden, "again") // closing twice does nothing
	closed.expectClose(wstransport.CloseForbidden, "credentials changed")
	waitFor(t, "the closed connection's subscription to end", func() bool { return h.count() == 1 })

	h.publish("still here")
	if m := kept.expect("next", "s"); string(m.Payload) != `{"data":{"events":"still here"}}` {
		t.Errorf("the other connection got %s", m.Payload)
	}
}
