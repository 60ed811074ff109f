package server_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// scrape reads the metrics served at url.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing the metrics: %v", err)
	}
	return families
}

// value returns the value of the series of family whose labels include
// labels (name=value pairs): a counter's or gauge's value, a histogram's
// count; 0 when there is none.
func value(families map[string]*dto.MetricFamily, family string, labels ...string) float64 {
	f := families[family]
	if f == nil {
		return 0
	}
	total := 0.0
series:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue series
			}
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Histogram != nil:
			total += float64(m.Histogram.GetSampleCount())
		}
	}
	return total
}

// TestMetricsMoveWithTraffic serves the metrics on their own listener,
// as hub serve does on --metrics-addr, and checks that the series move
// with requests, errors, websockets, subscriptions and their deliveries.
func TestMetricsMoveWithTraffic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		srv := server.New(server.DefaultConfig(), store, slog.New(slog.DiscardHandler))
		api := httptest.NewServer(srv.Handler())
		t.Cleanup(api.Close)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go srv.ServeMetrics(ctx, ln)
		metricsURL := "http://" + ln.Addr().String() + "/metrics"
		endpoint := api.URL + "/graphql"
		admin := authtest.Secretariat(t, store)

		before := scrape(t, metricsURL)
		for range 3 {
			gqltest.Post(t, endpoint, `query Countries { countries(first: 5) { totalCount } }`, nil, nil).NoErrors(t)
		}
		gqltest.Post(t, endpoint, `query Broken { noSuchField }`, nil, nil)

		ws := subscribeNews(t, api.URL, admin)
		waitForMetric(t, metricsURL, "hub_subscriptions", 1)
		after := scrape(t, metricsURL)
		checks := []struct {
			family string
			labels []string
			want   float64
		}{
			{"hub_graphql_operations_total", []string{"type", "query", "name", "Countries", "outcome", "ok"}, 3},
			{"hub_graphql_operations_total", []string{"outcome", "GRAPHQL_VALIDATION_FAILED"}, 1},
			{"hub_graphql_operation_duration_seconds", []string{"type", "query", "name", "Countries"}, 3},
			{"hub_graphql_operation_cost", []string{"type", "query"}, 3},
			{"hub_http_requests_total", []string{"route", "/graphql", "code", "200"}, 3},
			{"hub_rate_limit_charges_total", []string{"policy", "anonymous", "allowed", "true"}, 3},
			{"hub_graphql_operations_total", []string{"type", "subscription", "outcome", "started"}, 1},
		}
		for _, c := range checks {
			if got := value(after, c.family, c.labels...) - value(before, c.family, c.labels...); got != c.want {
				t.Errorf("%s%v moved by %v, want %v", c.family, c.labels, got, c.want)
			}
		}
		if value(after, "hub_websockets_open") != 1 || value(after, "go_sql_max_open_connections", "db_name", "hub_store") == 0 {
			t.Errorf("websockets %v, store pool max %v", value(after, "hub_websockets_open"), value(after, "go_sql_max_open_connections"))
		}

		// A news item published reaches the subscriber: its delivery lag
		// is observed.
		resp := gqltest.Post(t, endpoint, `mutation { createNewsItem(input: {title: "Forum in Riga", body: "Report"}) { id } }`, nil, admin)
		resp.NoErrors(t)
		var created struct{ CreateNewsItem struct{ ID string } }
		resp.Decode(t, &created)
		gqltest.Post(t, endpoint, `mutation($id: ID!) { publishNewsItem(id: $id) { id } }`, map[string]any{"id": created.CreateNewsItem.ID}, admin).NoErrors(t)
		_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		var msg struct{ Type string }
		if err := ws.ReadJSON(&msg); err != nil || msg.Type != "next" {
			t.Fatalf("the subscriber got %+v, %v", msg, err)
		}
		waitForMetric(t, metricsURL, "hub_subscription_delivery_lag_seconds", 1, "topic", "news")
		ws.Close()
		waitForMetric(t, metricsURL, "hub_websockets_open", 0)
	})
}

// subscribeNews opens a websocket (graphql-transport-ws) signed in with
// header and subscribes to newsPublished.
func subscribeNews(t *testing.T, url string, header http.Header) *websocket.Conn {
	t.Helper()
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	ws, _, err := dialer.Dial("ws"+strings.TrimPrefix(url, "http")+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	send := func(v any) {
		if err := ws.WriteJSON(v); err != nil {
			t.Fatal(err)
		}
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": header.Get("Authorization")}})
	var ack struct{ Type string }
	if err := ws.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_init: %+v %v", ack, err)
	}
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `subscription { newsPublished { id } }`}})
	return ws
}

// waitForMetric scrapes until the series reaches want (the delivery and
// the closing of a websocket happen after the client's side returns).
func waitForMetric(t *testing.T, url, family string, want float64, labels ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := value(scrape(t, url), family, labels...)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s%v is %v, want %v", family, labels, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
