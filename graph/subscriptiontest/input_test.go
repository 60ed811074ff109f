package subscriptiontest

import (
	"strings"
	"testing"
)

// TestSubscriptionsRefuseBadInput checks that over websocket, as over
// HTTP, malformed ids and cursors and text with a NUL character are
// refused with BAD_USER_INPUT and the field, without Go's error text.
func TestSubscriptionsRefuseBadInput(t *testing.T) {
	each(t, func(t *testing.T, d *database) {
		h := d.serve(t, nil)
		f := newForum(h)
		for _, tc := range []struct {
			name, field string
			v           vars
		}{
			{"a topic id that is not one", "topicId", vars{"t": "abc"}},
			{"a negative topic id", "topicId", vars{"t": "-1"}},
			{"a topic id out of range", "topicId", vars{"t": "99999999999999999999"}},
			{"a cursor that is not one", "after", vars{"t": f.public.topic, "a": "not a cursor"}},
			{"a cursor with a NUL", "after", vars{"t": f.public.topic, "a": "\x00"}},
		} {
			c := h.connect(anonymous)
			c.subscribe("s", postAdded, tc.v)
			err := c.refused("s")
			if err.Code() != "BAD_USER_INPUT" || err.Field() != tc.field || strings.Contains(err.Message, "strconv") {
				t.Errorf("%s: error %q with code %q and field %q, want BAD_USER_INPUT on %s", tc.name, err.Message, err.Code(), err.Field(), tc.field)
			}
			c.close()
		}
	})
}
