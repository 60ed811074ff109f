// Package telemetry is the Hub's observability: Prometheus metrics
// (served on their own listen address, see server.Config.MetricsAddr) and
// OpenTelemetry traces exported over OTLP when an endpoint is configured.
package telemetry

import (
	"database/sql"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Hub's Prometheus metrics, in a registry of their own.
type Metrics struct {
	registry   *prometheus.Registry
	operations *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	cost       *prometheus.HistogramVec
	http       *prometheus.CounterVec
	rateLimits *prometheus.CounterVec
	lag        *prometheus.HistogramVec
	reconnects prometheus.Counter

	mu    sync.Mutex
	names map[string]bool // operation names seen, bounded by maxNames
}

// maxNames bounds the distinct operation names kept as label values;
// clients choose the names, so later ones count as "other".
const maxNames = 200

// NewMetrics returns the metrics, with the Go runtime's and the
// process's.
func NewMetrics() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(), names: map[string]bool{}}
	m.operations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hub_graphql_operations_total",
		Help: "GraphQL operations answered, by type, operation name and outcome (ok, or the first error's code).",
	}, []string{"type", "name", "outcome"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hub_graphql_operation_duration_seconds",
		Help:    "Time from a GraphQL request's start to its answer, by operation type and name (subscriptions: to their start).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"type", "name"})
	m.cost = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hub_graphql_operation_cost",
		Help:    "Estimated cost of GraphQL operations (fields multiplied by page sizes), by type.",
		Buckets: prometheus.ExponentialBuckets(1, 4, 8), // 1 to 16,384
	}, []string{"type"})
	m.http = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hub_http_requests_total",
		Help: "HTTP requests answered, by route and status code.",
	}, []string{"route", "code"})
	m.rateLimits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hub_rate_limit_charges_total",
		Help: "Operations charged to a rate limit budget, by policy and whether they were allowed.",
	}, []string{"policy", "allowed"})
	m.lag = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hub_subscription_delivery_lag_seconds",
		Help:    "Time from an event's publication to its subscribers on this replica having it queued, by topic kind.",
		Buckets: []float64{.005, .01, .025, .05, .1, .2, .5, 1, 2.5, 5},
	}, []string{"topic"})
	m.reconnects = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hub_pubsub_reconnects_total",
		Help: "Reconnections of the PostgreSQL LISTEN connection of subscriptions (events published meanwhile were lost here).",
	})
	m.registry.MustRegister(m.operations, m.duration, m.cost, m.http, m.rateLimits, m.lag, m.reconnects,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Gauge registers a gauge whose value fn reads at each scrape.
func (m *Metrics) Gauge(name, help string, fn func() float64) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, fn))
}

// Store registers the connection pool statistics of db (open, in use,
// idle connections, waits) as go_sql_* metrics with db_name="hub_store".
func (m *Metrics) Store(db *sql.DB) {
	m.registry.MustRegister(collectors.NewDBStatsCollector(db, "hub_store"))
}

// Operation records a GraphQL operation answered: its type (query,
// mutation, subscription, or "" when it did not parse), name, outcome,
// time and estimated cost (-1 when not estimated).
func (m *Metrics) Operation(typ, name, outcome string, took time.Duration, cost int) {
	if typ == "" {
		typ = "unknown"
	}
	name = m.label(name)
	m.operations.WithLabelValues(typ, name, outcome).Inc()
	m.duration.WithLabelValues(typ, name).Observe(took.Seconds())
	if cost >= 0 {
		m.cost.WithLabelValues(typ).Observe(float64(cost))
	}
}

// HTTP records an HTTP request answered on a route with a status code.
func (m *Metrics) HTTP(route string, code int) {
	m.http.WithLabelValues(route, strconv.Itoa(code)).Inc()
}

// RateLimit records an operation charged to a rate limit policy.
func (m *Metrics) RateLimit(policy string, allowed bool) {
	a := "false"
	if allowed {
		a = "true"
	}
	m.rateLimits.WithLabelValues(policy, a).Inc()
}

// Delivery records an event's delivery lag (live.Feed.ObserveDelivery).
func (m *Metrics) Delivery(kind string, lag time.Duration) {
	m.lag.WithLabelValues(kind).Observe(lag.Seconds())
}

// PubSubReconnected counts a reconnection of the LISTEN connection
// (pubsub.WithReconnectHook).
func (m *Metrics) PubSubReconnected() { m.reconnects.Inc() }

// graphqlName is what a GraphQL operation name may be.
var graphqlName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// label returns the label value of an operation name: "anonymous" for
// none, "other" for names beyond the first maxNames or not GraphQL names.
func (m *Metrics) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !graphqlName.MatchString(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.names[name] {
		if len(m.names) >= maxNames {
			return "other"
		}
		m.names[name] = true
	}
	return name
}
