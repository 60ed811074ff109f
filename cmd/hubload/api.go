package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// api sends GraphQL requests over HTTP.
type api struct {
	endpoint string
	token    string
	http     *http.Client
}

func newAPI(base string) *api { return newAPIFrom(base, nil) }

// newAPIFrom returns an api whose connections leave from the local
// address (any 127.x.y.z on Linux, to look like another client), or from
// any address when local is nil.
func newAPIFrom(base string, local net.Addr) *api {
	dialer := &net.Dialer{LocalAddr: local}
	return &api{
		endpoint: strings.TrimRight(base, "/") + "/graphql",
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConnsPerHost: 16, DialContext: dialer.DialContext,
		}},
	}
}

// wsURL is the websocket URL of the endpoint.
func (a *api) wsURL() string {
	return "ws" + strings.TrimPrefix(a.endpoint, "http")
}

// response is a GraphQL response with the error codes.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// code is the first error's extensions.code, or "" without errors.
func (r *response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}

// send sends query with vars and decodes the response.
func (a *api) send(ctx context.Context, query string, vars map[string]any) (*response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, raw)
	}
	return &r, nil
}

// do sends query with vars and decodes the data into out.
func (a *api) do(ctx context.Context, query string, vars map[string]any, out any) error {
	r, err := a.send(ctx, query, vars)
	if err != nil {
		return err
	}
	if len(r.Errors) > 0 {
		return errors.New(r.Errors[0].Message)
	}
	return json.Unmarshal(r.Data, out)
}

// login signs in and returns the session token.
func (a *api) login(ctx context.Context, email, password string) (string, error) {
	var data struct{ Login struct{ Token string } }
	err := a.do(ctx, `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": email, "p": password}, &data)
	return data.Login.Token, err
}

// createUser creates an account without a role (the caller must be the
// secretariat).
func (a *api) createUser(ctx context.Context, email, password string) error {
	var data struct{ CreateUser struct{ ID string } }
	return a.do(ctx, `mutation($e: String!, $p: String!) { createUser(input: {email: $e, displayName: $e, password: $p}) { id } }`,
		map[string]any{"e": email, "p": password}, &data)
}

// createTopics creates a PUBLIC category and n topics in it, and returns
// the topics' ids.
func (a *api) createTopics(ctx context.Context, n int) ([]string, error) {
	slug := fmt.Sprintf("hubload-%d", time.Now().UnixNano())
	var cat struct{ CreateForumCategory struct{ ID string } }
	err := a.do(ctx, `mutation($s: String!) { createForumCategory(input: {name: $s, slug: $s, visibility: PUBLIC}) { id } }`,
		map[string]any{"s": slug}, &cat)
	if err != nil {
		return nil, err
	}
	ids := make([]string, n)
	for i := range ids {
		var topic struct{ CreateTopic struct{ ID string } }
		err = a.do(ctx, `mutation($c: ID!, $t: String!) { createTopic(input: {categoryId: $c, title: $t, body: "Posts of hubload"}) { id } }`,
			map[string]any{"c": cat.CreateForumCategory.ID, "t": fmt.Sprintf("Load test %d", i+1)}, &topic)
		if err != nil {
			return nil, err
		}
		ids[i] = topic.CreateTopic.ID
	}
	return ids, nil
}

// createPost writes a post with body in topic.
func (a *api) createPost(ctx context.Context, topic, body string) error {
	var data struct{ CreatePost struct{ ID string } }
	return a.do(ctx, `mutation($t: ID!, $b: String!) { createPost(input: {topicId: $t, body: $b}) { id } }`,
		map[string]any{"t": topic, "b": body}, &data)
}
