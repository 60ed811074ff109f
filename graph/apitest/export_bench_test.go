package apitest

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/seed"
	"github.com/bridgesoftrust/hub/internal/server"
)

// BenchmarkExportPartnerships streams every partnership of hub_bench
// (200,000; seeded as for BenchmarkMapQuery) through /export as the
// secretariat, in each format, then the suspended ones only (a few of
// them), and reports rows, rows/s and the highest heap in use while
// streaming (sampled every 10 ms), which must not grow with the rows:
//
//	HUB_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkExportPartnerships -benchtime 3x -timeout 30m
func BenchmarkExportPartnerships(b *testing.B) { benchmarkExport(b, benchStore(b)) }

// BenchSQLiteEnv names the SQLite file of BenchmarkExportPartnershipsSQLite.
const BenchSQLiteEnv = "HUB_BENCH_SQLITE_PATH"

// benchSizeSQLite is the synthetic graph of the SQLite export benchmark:
// a fifth of benchSize, which SQLite seeds in minutes.
var benchSizeSQLite = seed.SyntheticOptions{Municipalities: 20_000, Partnerships: 40_000, Seed: 1}

// BenchmarkExportPartnershipsSQLite is BenchmarkExportPartnerships on a
// SQLite file (seeded on first use with benchSizeSQLite and kept):
//
//	HUB_BENCH_SQLITE_PATH=/tmp/hub-bench.db \
//	  go test ./graph/apitest -run '^$' -bench BenchmarkExportPartnershipsSQLite -benchtime 3x -timeout 30m
func BenchmarkExportPartnershipsSQLite(b *testing.B) {
	path := os.Getenv(BenchSQLiteEnv)
	if path == "" || testing.Short() {
		b.Skipf("set %s (and do not pass -short) to run the SQLite export benchmark", BenchSQLiteEnv)
	}
	store, err := db.Open("sqlite://" + path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	if err := db.Migrate(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	n, err := store.Client.Partnership.Query().Count(sys())
	if err != nil {
		b.Fatal(err)
	}
	if n < benchSizeSQLite.Partnerships {
		opts := benchSizeSQLite
		opts.Logger = quietLogger()
		if err := seed.Synthetic(sys(), store.Client, opts); err != nil {
			b.Fatalf("seeding %s: %v", path, err)
		}
		if _, err := store.DB.Exec("ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	benchmarkExport(b, store)
}

// benchmarkExport streams every partnership of store through /export as
// the secretariat in each format, reporting rows/s and the peak heap.
func benchmarkExport(b *testing.B, store *db.Store) {
	srv := httptest.NewServer(server.New(server.DefaultConfig(), store, quietLogger()).Handler())
	defer srv.Close()
	secretariat := signIn(b, store)
	for _, c := range []struct{ name, file, where string }{
		{"csv", "partnerships.csv", ""},
		{"ndjson", "partnerships.ndjson", ""},
		{"geojson", "partnerships.geojson", ""},
		// A few of the rows, for the heap they take.
		{"csv-suspended", "partnerships.csv", `{"status": "SUSPENDED"}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			u := srv.URL + "/export/" + c.file
			if c.where != "" {
				u += "?where=" + url.QueryEscape(c.where)
			}
			var rows int
			var elapsed time.Duration
			var peak atomic.Uint64
			stop := sampleHeap(&peak)
			for b.Loop() {
				start := time.Now()
				rows = countLines(b, u, secretariat)
				elapsed += time.Since(start)
			}
			stop()
			b.ReportMetric(float64(rows), "rows")
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
