package apitest

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/server"
)

// BenchmarkExportPartnerships streams every partnership of hub_bench
// (200,000; seeded as for BenchmarkMapQuery) through /export as the
// secretariat, in each format, and reports rows/s and the highest heap in
// use while streaming (sampled every 10 ms), which must not grow with the
// rows:
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkExportPartnerships -benchtime 3x -timeout 30m
func BenchmarkExportPartnerships(b *testing.B) {
	store := benchStore(b)
	srv := httptest.NewServer(server.New(server.DefaultConfig(), store, quietLogger()).Handler())
	defer srv.Close()
	secretariat := signIn(b, store)
	for _, format := range []string{"csv", "ndjson", "geojson"} {
		b.Run(format, func(b *testing.B) {
			var rows int
			var elapsed time.Duration
			var peak atomic.Uint64
			stop := sampleHeap(&peak)
			for b.Loop() {
				start := time.Now()
				rows = countLines(b, srv.URL+"/export/partnerships."+format, secretariat)
				elapsed += time.Since(start)
			}
			stop()
			b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}

// sampleHeap records the highest HeapInuse into peak until stopped.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	return func() { close(done) }
}

// countLines downloads url and returns its number of lines.
func countLines(b *testing.B, url string, header http.Header) int {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header = header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		b.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	n := 0
	r := bufio.NewReaderSize(resp.Body, 1<<16)
	for {
		_, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}
