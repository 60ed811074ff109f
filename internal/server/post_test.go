package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponseMatchesEncodingJSON checks that postJSON writes each
// kind of answer as encoding/json writes gqlgen's graphql.Response.
func TestWriteResponseMatchesEncodingJSON(t *testing.T) {
	more := true
	for name, resp := range map[string]*graphql.Response{
		"data":             {Data: json.RawMessage(`{"partnerships":{"totalCount":2}}`)},
		"no data":          {Errors: gqlerror.List{{Message: "refused", Extensions: map[string]any{"code": "BAD_REQUEST"}}}},
		"errors and data":  {Data: json.RawMessage(`{"me":null}`), Errors: gqlerror.List{{Message: "gone", Path: ast.Path{ast.PathName("me")}}}},
		"extensions":       {Data: json.RawMessage(`{}`), Extensions: map[string]any{"cost": 12}},
		"incremental part": {Data: json.RawMessage(`{"a":1}`), Label: "later", HasNext: &more},
	} {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(resp)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			writeResponse(&got, resp)
			if got.String() != string(want) {
				t.Errorf("wrote %s, want %s", got.String(), want)
			}
		})
	}
}

// TestWriteResponseSaysItsLength checks that an answer written to an HTTP
// response carries its length, so that it is not sent chunked.
func TestWriteResponseSaysItsLength(t *testing.T) {
	rec := httptest.NewRecorder()
	writeResponse(rec, &graphql.Response{Data: json.RawMessage(`{"partnerships":{"totalCount":2}}`)})
	if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want {
		t.Errorf("Content-Length %q, want %q", got, want)
	}
}
