package telemetry

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// ServiceName is the service.name of the Hub's traces.
const ServiceName = "bridges-of-trust-hub"

// TracerName names the tracer of the Hub's own spans.
const TracerName = "github.com/bridgesoftrust/hub"

// Tracer returns the tracer of the Hub's own spans, from the global
// provider: no-op unless StartTracing configured one.
func Tracer() trace.Tracer { return otel.Tracer(TracerName) }

// TracingEnabled reports whether traces are to be exported: an OTLP
// endpoint given (--otlp-endpoint), or set in the standard
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
func TracingEnabled(endpoint string) bool {
	return endpoint != "" || os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" ||
		os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// StartTracing exports traces over OTLP/HTTP (protobuf) to endpoint, a
// URL such as http://collector:4318 (the standard OTEL_EXPORTER_OTLP_*
// variables set the rest: headers, timeout, ...), when TracingEnabled;
// otherwise it does nothing and spans cost next to nothing. It installs
// the provider and the W3C trace context propagator globally. shutdown
// flushes the spans not yet sent.
func StartTracing(ctx context.Context, endpoint, version string) (shutdown func(context.Context) error, err error) {
	if !TracingEnabled(endpoint) {
		return func(context.Context) error { return nil }, nil
	}
	var opts []otlptracehttp.Option
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil {
			return nil, fmt.Errorf("OTLP endpoint %q: %w", endpoint, err)
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = "/v1/traces" // a collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(u.String()))
	}
	exporter, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceName(ServiceName), semconv.ServiceVersion(version)))
	if err != nil {
		return nil, fmt.Errorf("trace resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	exporting.Store(true)
	return tp.Shutdown, nil
}

// exporting is set once StartTracing has installed an exporter.
var exporting atomic.Bool

// Exporting reports whether StartTracing installed an exporter in this
// process: servers made before it, or without it, trace nothing.
func Exporting() bool { return exporting.Load() }
