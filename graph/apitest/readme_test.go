package apitest

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/wstransport"
)

// readmeOperations returns the GraphQL operations of the README's graphql
// code blocks, in order: each starts on a line beginning with "{", query,
// mutation or subscription, and runs to the next; comment lines are left
// out.
func readmeOperations(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, block := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		for line := range strings.Lines(block[1]) {
			trimmed := strings.TrimSpace(line)
			switch {
			case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			case strings.HasPrefix(line, "{") || regexp.MustCompile(`^(query|mutation|subscription)\b`).MatchString(line):
				ops = append(ops, line)
			case len(ops) > 0:
				ops[len(ops)-1] += line
			default:
				t.Fatalf("README: GraphQL line outside an operation: %q", line)
			}
		}
	}
	if len(ops) < 5 {
		t.Fatalf("README: found %d GraphQL operations", len(ops))
	}
	return ops
}

// readmeAccount is the first secretariat account the README creates on the
// command line, read from its printf and user create line.
func readmeAccount(t *testing.T) auth.NewUser {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`printf '%s\\n' '([^']+)' \| go run ./cmd/hub user create --email (\S+) --name (\S+) --role secretariat`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("README: no `hub user create` line for the first secretariat account")
	}
	return auth.NewUser{Email: m[2], DisplayName: m[3], Password: m[1], Role: "SECRETARIAT"}
}

// TestReadmeExamples runs every GraphQL example of the README, as
// written, on a fresh demo store of each database: queries anonymously,
// login as the account the README creates, the other mutations with its
// token, and the subscription over websocket with a topic and cursor of
// the demo forum in place of its "...".
func TestReadmeExamples(t *testing.T) {
	ops := readmeOperations(t)
	account := readmeAccount(t)
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := demoHub(t, store)
		if _, err := auth.New(store.Client, auth.DefaultConfig(), quietLogger()).CreateUser(sys(), account); err != nil {
			t.Fatal(err)
		}
		var token string
		created := map[string]string{} // "request", "event", "registration": the last one created
		for _, op := range ops {
			op = fillReadmePlaceholders(t, h, op, created)
			switch {
			case strings.HasPrefix(op, "subscription") && !strings.Contains(op, "postAdded"):
				runReadmeQuietSubscription(t, h, op, token)
			case strings.HasPrefix(op, "subscription"):
				runReadmeSubscription(t, h, op, token)
			case strings.HasPrefix(op, "mutation") && strings.Contains(op, "login("):
				resp := h.query(t, op, nil)
				resp.NoErrors(t)
				var got struct{ Login struct{ Token string } }
				resp.Decode(t, &got)
				token = got.Login.Token
			case strings.HasPrefix(op, "mutation"):
				resp := gqltest.Post(t, h.endpoint, op, nil, bearer(token))
				resp.NoErrors(t)
				rememberCreated(t, resp, created)
			default:
				resp := h.query(t, op, nil)
				if resp.Code() == "UNAUTHENTICATED" && token != "" {
					// Examples for signed-in users run with the README's token.
					resp = gqltest.Post(t, h.endpoint, op, nil, bearer(token))
				}
				resp.NoErrors(t)
				if strings.Contains(string(resp.Data), "null") {
					t.Errorf("README example %s\nanswers nulls on the demo store: %s", op, resp.Data)
				}
			}
		}
		if token == "" {
			t.Error("the README's login example gave no token")
		}
	})
}

// bearer is the Authorization header of a token.
func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// runReadmeSubscription runs the README's subscription over websocket on
// the demo forum's first public topic, after its first post: it must
// replay the topic's later posts, then deliver a new one live.
func runReadmeSubscription(t *testing.T, h *hub, op, token string) {
	t.Helper()
	var forum struct {
		Topics struct {
			Edges []struct {
				Node struct {
					ID    string
					Posts struct {
						TotalCount int
						Edges      []struct{ Cursor string }
					}
				}
			}
		}
	}
	h.data(t, `{ topics(first: 1, where: {hasCategoryWith: [{visibility: PUBLIC}]}, orderBy: {field: TITLE}) {
		edges { node { id posts(first: 10) { totalCount edges { cursor } } } } } }`, nil, &forum)
	if len(forum.Topics.Edges) != 1 || forum.Topics.Edges[0].Node.Posts.TotalCount < 2 {
		t.Fatalf("the demo forum has no public topic with replies: %+v", forum)
	}
	topic := forum.Topics.Edges[0].Node
	op = strings.Replace(op, `topicId: "..."`, `topicId: "`+topic.ID+`"`, 1)
	op = strings.Replace(op, `after: "..."`, `after: "`+topic.Posts.Edges[0].Cursor+`"`, 1)
	if strings.Contains(op, `"..."`) {
		t.Fatalf("README subscription has a placeholder the test does not fill: %s", op)
	}

	ws, _, err := (&websocket.Dialer{Subprotocols: []string{wstransport.ProtocolTransportWS}}).
		Dial("ws"+strings.TrimPrefix(h.endpoint, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	send := func(v any) {
		if err := ws.WriteJSON(v); err != nil {
			t.Fatal(err)
		}
	}
	type message struct {
		Type    string
		Payload struct {
			Data struct {
				PostAdded struct {
					ID    string
					Topic struct{ ID string }
				}
			}
			Errors []gqltest.Error
		}
	}
	next := func() message {
		t.Helper()
		_ = ws.SetReadDeadline(time.Now().Add(20 * time.Second))
		var m message
		if err := ws.ReadJSON(&m); err != nil {
			t.Fatalf("reading the subscription: %v", err)
		}
		if len(m.Payload.Errors) > 0 || (m.Type != "next" && m.Type != "connection_ack") {
			t.Fatalf("subscription message %+v", m)
		}
		return m
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + token}})
	next()
	send(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{"query": op}})
	for range topic.Posts.TotalCount - 1 {
		if m := next(); m.Payload.Data.PostAdded.Topic.ID != topic.ID {
			t.Fatalf("replayed post of topic %s, want %s", m.Payload.Data.PostAdded.Topic.ID, topic.ID)
		}
	}
	resp := gqltest.Post(t, h.endpoint, `mutation($t: ID!) { createPost(input: {topicId: $t, body: "Live from the README test"}) { id } }`,
		map[string]any{"t": topic.ID}, bearer(token))
	resp.NoErrors(t)
	var created struct{ CreatePost struct{ ID string } }
	resp.Decode(t, &created)
	if m := next(); m.Payload.Data.PostAdded.ID != created.CreatePost.ID {
		t.Fatalf("live post %s, want %s", m.Payload.Data.PostAdded.ID, created.CreatePost.ID)
	}
	raw, _ := json.Marshal(map[string]any{"type": "complete", "id": "1"})
	_ = ws.WriteMessage(websocket.TextMessage, raw)
}

// createdBy names the ids the README's mutations create, by mutation.
var createdBy = map[string]string{"expressInterest": "request", "createEvent": "event", "registerForEvent": "registration"}

// rememberCreated records the id a README mutation created under its name
// in createdBy.
func rememberCreated(t *testing.T, resp *gqltest.Response, created map[string]string) {
	t.Helper()
	var got map[string]json.RawMessage
	resp.Decode(t, &got)
	for field, raw := range got {
		var v struct{ ID string }
		if name, ok := createdBy[field]; ok && json.Unmarshal(raw, &v) == nil {
			created[name] = v.ID
		}
	}
}

// fillReadmePlaceholders puts ids of the demo store in place of the
// README's "<Name id>" (the municipality of that name), "<organisation
// ACRONYM id>" (the organisation with that acronym) and "<request id>",
// "<event id>", "<registration id>" (the last one the README's mutations
// created).
func fillReadmePlaceholders(t *testing.T, h *hub, op string, created map[string]string) string {
	t.Helper()
	return regexp.MustCompile(`"<([^>"]+) id>"`).ReplaceAllStringFunc(op, func(m string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(m, `"<`), ` id>"`)
		if _, ok := created[name]; ok || slices.Contains(slices.Collect(maps.Values(createdBy)), name) {
			if created[name] == "" {
				t.Fatalf("README: %s before the example that creates it", m)
			}
			return `"` + created[name] + `"`
		}
		if acronym, ok := strings.CutPrefix(name, "organisation "); ok {
			return `"` + readmeOrganisation(t, h, acronym) + `"`
		}
		var found struct {
			Municipalities struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		h.data(t, `query($n: String!) { municipalities(first: 1, where: {name: $n}) { edges { node { id } } } }`, map[string]any{"n": name}, &found)
		if len(found.Municipalities.Edges) != 1 {
			t.Fatalf("README: no municipality %q in the demo data", name)
		}
		return `"` + found.Municipalities.Edges[0].Node.ID + `"`
	})
}

// readmeOrganisation returns the id of the demo organisation with acronym.
func readmeOrganisation(t *testing.T, h *hub, acronym string) string {
	t.Helper()
	var found struct {
		Organisations struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	h.data(t, `query($a: String!) { organisations(first: 1, where: {acronym: $a}) { edges { node { id } } } }`, map[string]any{"a": acronym}, &found)
	if len(found.Organisations.Edges) != 1 {
		t.Fatalf("README: no organisation %q in the demo data", acronym)
	}
	return found.Organisations.Edges[0].Node.ID
}

// runReadmeQuietSubscription subscribes with the README's operation and
// checks that the server accepts it: no error within a second.
func runReadmeQuietSubscription(t *testing.T, h *hub, op, token string) {
	t.Helper()
	ws, _, err := (&websocket.Dialer{Subprotocols: []string{wstransport.ProtocolTransportWS}}).
		Dial("ws"+strings.TrimPrefix(h.endpoint, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	for _, m := range []map[string]any{
		{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + token}},
		{"type": "subscribe", "id": "1", "payload": map[string]any{"query": op}},
	} {
		if err := ws.WriteJSON(m); err != nil {
			t.Fatal(err)
		}
	}
	for {
		_ = ws.SetReadDeadline(time.Now().Add(time.Second))
		var m struct {
			Type    string
			Payload json.RawMessage
		}
		if err := ws.ReadJSON(&m); err != nil {
			return // quiet: accepted, nothing to send yet
		}
		if m.Type != "connection_ack" && m.Type != "next" {
			t.Fatalf("README subscription %s answered %s %s", op, m.Type, m.Payload)
		}
		if m.Type == "next" && strings.Contains(string(m.Payload), `"errors"`) {
			t.Fatalf("README subscription %s answered %s", op, m.Payload)
		}
	}
}
