package server

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/gqlexec"
)

// postJSON is gqlgen's POST transport (GraphQL requests as
// application/json) but for how it writes an answer: gqlgen marshals the
// response with encoding/json, which validates and copies again the data
// that the executor has already written as JSON (5-6 % of the Hub's
// processor time on a page of 100 partnerships). postJSON writes that data
// as it is and marshals only the errors and extensions. Status codes and
// content types are gqlgen's (the graphql-http audit in
// audit_test.go holds them).
type postJSON struct{ transport.POST }

var _ graphql.Transport = postJSON{}

// The response media types of the GraphQL over HTTP specification.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// Do implements graphql.Transport.
func (postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r)
	w.Header().Set("Content-Type", media)
	start := graphql.Now()
	params := &graphql.RawParams{}
	body, err := io.ReadAll(r.Body)
	// Held only once the body is read: reading it may answer "100
	// Continue" first, which the client waits for.
	defer holdAnswer(w, r)()
	if err != nil {
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	if err := decodeParams(body, params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("json request body could not be decoded: %+v body:%s", err, body)}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		w.WriteHeader(errorStatus(media, opErr))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

// decodeParams reads a GraphQL request from its JSON body, numbers kept
// as written (as gqlgen does).
func decodeParams(body []byte, params *graphql.RawParams) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return dec.Decode(params)
}

// responseMedia is the answer's media type for the request's Accept
// header, as gqlgen chooses it: application/json when the client accepts
// it or anything, else application/graphql-response+json.
func responseMedia(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		media, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch media {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// errorStatus is the status of a request refused before it ran: a
// protocol error (the request is not a valid operation) is 422 in
// application/json and 400 in application/graphql-response+json.
func errorStatus(media string, errs gqlerror.List) int {
	if errcode.GetErrorKind(errs) != errcode.KindProtocol {
		return http.StatusOK
	}
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// writeResponse writes resp as gqlgen's JSON encoding of graphql.Response
// would, with the data as the executor produced it, and then gives the
// data's buffer back to the executor's pool (gqlexec.ReleaseResponse).
// Incremental (@defer) payloads, which the Hub does not send, go through
// encoding/json.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		writeMarshalled(w, resp)
		return
	}
	defer gqlexec.ReleaseResponse(resp.Data)
	var head, tail bytes.Buffer
	head.WriteByte('{')
	if len(resp.Errors) > 0 {
		head.WriteString(`"errors":`)
		if !appendJSON(&head, resp.Errors) {
			writeMarshalled(w, resp)
			return
		}
		head.WriteByte(',')
	}
	head.WriteString(`"data":`)
	data := resp.Data
	if len(data) == 0 {
		// Nothing executed: the answer goes in one write, which
		// withRequestErrorStatus rewrites whole.
		head.WriteString("null")
		data = nil
	}
	if len(resp.Extensions) > 0 {
		tail.WriteString(`,"extensions":`)
		if !appendJSON(&tail, resp.Extensions) {
			writeMarshalled(w, resp)
			return
		}
	}
	tail.WriteByte('}')
	if data == nil {
		head.Write(tail.Bytes())
		tail.Reset()
	}
	if rw, ok := w.(http.ResponseWriter); ok {
		// Known before the answer is written, the length spares the
		// chunked encoding its framing and last write. An answer whose
		// status was already written keeps the headers it was sent with.
		rw.Header().Set("Content-Length", strconv.Itoa(head.Len()+len(data)+tail.Len()))
	}
	if data == nil {
		_, _ = w.Write(head.Bytes())
		return
	}
	writeWhole(w, head.Bytes(), data, tail.Bytes())
}

// writeWhole writes the parts of an answer in one write, through a buffer
// of the executor's pool: written apart, the data being larger than
// net/http's buffer, the parts took a system call more (three for a forum
// page, against two).
func writeWhole(w io.Writer, parts ...[]byte) {
	b := gqlexec.ResponseBuffer()
	for _, p := range parts {
		b.Write(p)
	}
	_, _ = w.Write(b.Bytes())
	gqlexec.ReleaseResponse(b.Bytes())
}

// appendJSON appends v's JSON encoding to b and reports whether v could be
// encoded.
func appendJSON(b *bytes.Buffer, v any) bool {
	enc, err := json.Marshal(v)
	if err != nil {
		return false
	}
	b.Write(enc)
	return true
}

// writeMarshalled writes resp through encoding/json, as gqlgen does.
func writeMarshalled(w io.Writer, resp *graphql.Response) {
	enc, err := json.Marshal(resp)
	if err != nil {
		panic(err)
	}
	_, _ = w.Write(enc)
}
