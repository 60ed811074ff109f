// Package gqltest sends GraphQL requests over real HTTP in tests and
// decodes the answers, so that tests see exactly what a client sees:
// status, headers, data and errors with their extensions.
//
//	srv := httptest.NewServer(server.New(cfg, store, logger).Handler())
//	defer srv.Close()
//	resp := gqltest.Post(t, srv.URL+"/graphql", `query($n: Int) { countries(first: $n) { totalCount } }`,
//		map[string]any{"n": 5}, nil)
//	resp.NoErrors(t)
//	var data struct{ Countries struct{ TotalCount int } }
//	resp.Decode(t, &data)
//
// A failing request is not a test failure by itself: tests check Status,
// Code and Errors as they need. Only transport failures (no answer at all)
// fail the test.
package gqltest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Params are the parameters of a GraphQL request (GraphQL over HTTP).
type Params struct {
	Query         string         `json:"query,omitempty"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
	Extensions    map[string]any `json:"extensions,omitempty"`
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code returns extensions.code, or "".
func (e Error) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// Field returns extensions.field (the input field at fault), or "".
func (e Error) Field() string {
	f, _ := e.Extensions["field"].(string)
	return f
}

// Response is a decoded GraphQL response with its HTTP status and headers.
type Response struct {
	Status     int             `json:"-"`
	Header     http.Header     `json:"-"`
	Data       json.RawMessage `json:"data"`
	Errors     []Error         `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
	// Body is the raw body; when it is not JSON, Data and Errors are empty.
	Body []byte `json:"-"`
}

// Code returns the code of the first error, or "" when there is none.
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Code()
}

// NoErrors fails the test if the response has errors or a non-2xx status.
func (r *Response) NoErrors(t testing.TB) {
	t.Helper()
	if len(r.Errors) > 0 || r.Status < 200 || r.Status > 299 {
		t.Fatalf("want a successful response, got status %d: %s", r.Status, r.Body)
	}
}

// Decode unmarshals data into v, failing the test if it cannot.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decoding data %s: %v", r.Data, err)
	}
}

// Client is the HTTP client the helpers use.
var Client = &http.Client{Timeout: 60 * time.Second}

// Post sends query with vars (may be nil) as a JSON POST to endpoint, with
// the extra header (may be nil), and returns the decoded response.
func Post(t testing.TB, endpoint, query string, vars map[string]any, header http.Header) *Response {
	t.Helper()
	return PostParams(t, endpoint, Params{Query: query, Variables: vars}, header)
}

// PostParams sends p as a JSON POST to endpoint.
func PostParams(t testing.TB, endpoint string, p Params, header http.Header) *Response {
	t.Helper()
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("encoding request: %v", err)
	}
	return PostRaw(t, endpoint, "application/json", body, header)
}

// PostRaw posts body with contentType as is, e.g. to test malformed or
// oversized requests.
func PostRaw(t testing.TB, endpoint, contentType string, body []byte, header http.Header) *Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	req.Header.Set("Content-Type", contentType)
	return Do(t, req, header)
}

// Get sends query with vars as a GET request, the parameters in the URL.
func Get(t testing.TB, endpoint, query string, vars map[string]any, header http.Header) *Response {
	t.Helper()
	return GetParams(t, endpoint, Params{Query: query, Variables: vars}, header)
}

// GetParams sends p as a GET request, the parameters in the URL.
func GetParams(t testing.TB, endpoint string, p Params, header http.Header) *Response {
	t.Helper()
	q := url.Values{}
	if p.Query != "" {
		q.Set("query", p.Query)
	}
	if p.OperationName != "" {
		q.Set("operationName", p.OperationName)
	}
	for name, v := range map[string]map[string]any{"variables": p.Variables, "extensions": p.Extensions} {
		if v != nil {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("encoding %s: %v", name, err)
			}
			q.Set(name, string(b))
		}
	}
	req, err := http.NewRequest(http.MethodGet, endpoint+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	return Do(t, req, header)
}

// Do sends req with the extra header (Accept defaults to
// application/graphql-response+json, then application/json) and decodes
// the answer.
func Do(t testing.TB, req *http.Request, header http.Header) *Response {
	t.Helper()
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/graphql-response+json, application/json;q=0.9")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
	_ = json.Unmarshal(body, r)
	return r
}
