package gqlexec

import (
	"bytes"
	"sync"
)

// Response buffers. gqlgen writes each query's data into a new
// bytes.Buffer, which grows by doubling as the page is written: a forum
// page's 13 KB of data took 30 KB of allocations (12 % of the bytes the
// Hub allocated per request). graph/codegen points the executor at
// ResponseBuffer instead, and the POST transport gives the data back with
// ReleaseResponse once the answer is written (and takes the buffer it
// writes the whole answer from the same way); answers that other
// transports write (websocket, GET) are left to the collector.
var responseBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledResponse is the capacity above which a buffer is not kept: an
// export's megabytes should not stay in the pool.
const maxPooledResponse = 256 << 10

// ResponseBuffer returns an empty buffer for a query's data.
func ResponseBuffer() *bytes.Buffer {
	return responseBuffers.Get().(*bytes.Buffer)
}

// ReleaseResponse takes back the data of an answer that has been written
// and that nothing refers to any more, for a later ResponseBuffer.
func ReleaseResponse(data []byte) {
	if c := cap(data); c == 0 || c > maxPooledResponse {
		return
	}
	responseBuffers.Put(bytes.NewBuffer(data[:0]))
}
