package gqltest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"
)

// File is a file sent with Upload.
type File struct {
	Name    string
	Content []byte
}

// Upload sends query with vars as a GraphQL multipart request (the
// multipart request specification): file becomes the variable named by
// variable (e.g. "file"), which vars should leave out.
func Upload(t testing.TB, endpoint, query string, vars map[string]any, variable string, file File, header http.Header) *Response {
	t.Helper()
	v := map[string]any{variable: nil}
	for k, x := range vars {
		v[k] = x
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part := func(name string, value any) {
		b, err := json.Marshal(value)
		if err != nil {
			t.Fatalf("encoding %s: %v", name, err)
		}
		if err := w.WriteField(name, string(b)); err != nil {
			t.Fatal(err)
		}
	}
	part("operations", Params{Query: query, Variables: v})
	part("map", map[string][]string{"0": {"variables." + variable}})
	fw, err := w.CreateFormFile("0", file.Name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(file.Content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return PostRaw(t, endpoint, w.FormDataContentType(), body.Bytes(), header)
}
