package telemetry_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/telemetry"
)

// collector is a stand-in OTLP/HTTP trace receiver that keeps the spans.
type collector struct {
	mu    sync.Mutex
	spans []*tracepb.Span
}

// ServeHTTP takes an OTLP/HTTP protobuf export.
func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req coltrace.ExportTraceServiceRequest
	if r.URL.Path != "/v1/traces" || proto.Unmarshal(body, &req) != nil {
		http.Error(w, "not an OTLP trace export", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			c.spans = append(c.spans, ss.GetSpans()...)
		}
	}
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
	_, _ = w.Write(out)
}

// TestTracesOverOTLP exports the traces of a request to a stand-in
// collector and checks their shape: the HTTP request's span, under it the
// GraphQL operation's, under that the SQL statements'. (The tracer
// provider is process-wide, hence this package of its own.)
func TestTracesOverOTLP(t *testing.T) {
	col := &collector{}
	srv := httptest.NewServer(col)
	defer srv.Close()
	ctx := context.Background()
	shutdown, err := telemetry.StartTracing(ctx, srv.URL, "test")
	if err != nil {
		t.Fatal(err)
	}
	db.TraceSQL()
	store := dbtest.Open(t, "sqlite")
	api := httptest.NewServer(server.New(server.DefaultConfig(), store, slog.New(slog.DiscardHandler)).Handler())
	defer api.Close()
	gqltest.Post(t, api.URL+"/graphql", `query Countries { countries(first: 3) { totalCount } }`, nil, nil).NoErrors(t)
	if err := shutdown(ctx); err != nil { // flushes the batch
		t.Fatal(err)
	}

	col.mu.Lock()
	defer col.mu.Unlock()
	byID := map[string]*tracepb.Span{}
	for _, s := range col.spans {
		byID[string(s.GetSpanId())] = s
	}
	var httpSpan, opSpan *tracepb.Span
	for _, s := range col.spans {
		switch s.GetName() {
		case "POST /graphql":
			httpSpan = s
		case "query Countries":
			opSpan = s
		}
	}
	if httpSpan == nil || opSpan == nil {
		t.Fatalf("spans %v: want POST /graphql and query Countries", names(col.spans))
	}
	if string(opSpan.GetParentSpanId()) != string(httpSpan.GetSpanId()) {
		t.Errorf("the operation's span is not under the HTTP request's")
	}
	sql := 0
	for _, s := range col.spans {
		if p := byID[string(s.GetParentSpanId())]; p != nil && p == opSpan && s.GetName() != "" && s != opSpan {
			for _, a := range s.GetAttributes() {
				if a.GetKey() == "db.system.name" {
					sql++
				}
			}
		}
	}
	if sql == 0 {
		t.Errorf("no SQL span under the operation's; spans %v", names(col.spans))
	}
}

// names lists the spans' names.
func names(spans []*tracepb.Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.GetName())
	}
	return out
}
