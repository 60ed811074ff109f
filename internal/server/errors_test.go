package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"

	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
)

// TestInputErrors checks the codes, fields and messages of bad input on
// every database.
func TestInputErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := startHub(t, store, nil)
		ua := createCountry(t, h, "UA", "Ukraine", false)

		t.Run("invalid code", func(t *testing.T) {
			resp := h.post(t, `mutation { createCountry(input: {code: "ZZ", name: "Nowhere", euMember: false}) { id } }`, nil)
			wantError(t, resp, apierr.BadUserInput, "code", `"ZZ" is not an ISO 3166-1`)
		})
		t.Run("duplicate code", func(t *testing.T) {
			resp := h.post(t, `mutation { createCountry(input: {code: "UA", name: "Ukraine again"}) { id } }`, nil)
			wantError(t, resp, apierr.BadUserInput, "", "already exists")
		})
		t.Run("unknown id", func(t *testing.T) {
			resp := h.post(t, `mutation { updateCountry(id: 999999, input: {name: "X"}) { id } }`, nil)
			wantError(t, resp, apierr.NotFound, "", "not found")
		})
		t.Run("missing referenced object", func(t *testing.T) {
			resp := h.post(t, `mutation { createRegion(input: {name: "Nowhere", countryID: 999999}) { id } }`, nil)
			wantError(t, resp, apierr.BadUserInput, "", "does not exist")
		})
		t.Run("still referenced", func(t *testing.T) {
			resp := h.post(t, `mutation($c: ID!) { createRegion(input: {name: "Kharkiv Oblast", countryID: $c}) { id } }`, map[string]any{"c": ua})
			resp.NoErrors(t)
			resp = h.post(t, `mutation($c: ID!) { deleteCountry(id: $c) }`, map[string]any{"c": ua})
			wantError(t, resp, apierr.BadUserInput, "", "still referenced")
		})
		t.Run("malformed cursor", func(t *testing.T) {
			resp := h.post(t, `{ countries(first: 1, after: "not a cursor") { totalCount } }`, nil)
			wantError(t, resp, apierr.BadUserInput, "", "")
		})
	})
}

// TestFailedMutationWritesNothing checks that a mutation operation runs
// in one transaction: when its second field fails, the first is undone.
func TestFailedMutationWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := startHub(t, store, nil)
		resp := h.post(t, `mutation {
			a: createCountry(input: {code: "PL", name: "Poland", euMember: true}) { id }
			b: createCountry(input: {code: "ZZ", name: "Nowhere"}) { id }
		}`, nil)
		wantError(t, resp, apierr.BadUserInput, "code", "")
		if n := countCountries(t, h); n != 0 {
			t.Errorf("after the failed mutation there are %d countries, want 0", n)
		}
	})
}

// TestInternalErrorsLeakNothing breaks the database under the server and
// checks that the client gets a generic error while the log has the
// detail with the request id.
func TestInternalErrorsLeakNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := startHub(t, store, nil)
		drop := "DROP TABLE countries"
		if store.Dialect == "postgres" {
			drop += " CASCADE"
		}
		if _, err := store.DB.Exec(drop); err != nil {
			t.Fatal(err)
		}
		resp := h.post(t, `{ countries(first: 5) { edges { node { code } } } }`, nil)
		wantError(t, resp, apierr.Internal, "", "internal server error")
		for _, leak := range []string{"countries\\\"", "relation", "no such table", "SELECT", "sql"} {
			if strings.Contains(string(resp.Body), leak) {
				t.Errorf("the answer leaks %q: %s", leak, resp.Body)
			}
		}
		id := resp.Header.Get(server.RequestIDHeader)
		if lines := h.logs.await("internal error", "request_id="+id); len(lines) == 0 {
			t.Errorf("no internal error logged with request_id=%s", id)
		}
	})
}

// TestPanicRecovered checks that a panic while resolving a field becomes
// an internal error and the server goes on.
func TestPanicRecovered(t *testing.T) {
	boom := handler.FieldFunc(func(ctx context.Context, next graphql.Resolver) (any, error) {
		if graphql.GetFieldContext(ctx).Field.Name == "countries" {
			panic("boom")
		}
		return next(ctx)
	})
	h := sqliteHub(t, nil, server.WithExtension(boom))
	resp := h.post(t, `{ countries(first: 1) { totalCount } }`, nil)
	wantError(t, resp, apierr.Internal, "", "internal server error")
	if strings.Contains(string(resp.Body), "boom") {
		t.Errorf("the answer leaks the panic: %s", resp.Body)
	}
	if lines := h.logs.await("panic in resolver", "boom"); len(lines) == 0 {
		t.Error("the panic was not logged")
	}
	h.post(t, `{ __typename }`, nil).NoErrors(t)
}

// TestTimeout checks that a request that runs out of time is answered
// with TIMEOUT (not a 5xx), writes nothing, and that the server answers
// afterwards.
func TestTimeout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := startHub(t, store, func(c *server.Config) { c.RequestTimeout = time.Nanosecond })
		wantCode(t, h.post(t, `{ countries(first: 5) { totalCount } }`, nil), apierr.Timeout)
		resp := h.post(t, `mutation { createCountry(input: {code: "PL", name: "Poland"}) { id } }`, nil)
		wantCode(t, resp, apierr.Timeout)
		if status, _ := get(t, h.url+"/healthz"); status != http.StatusOK {
			t.Errorf("/healthz after timeouts: %d", status)
		}
		normal := startHub(t, store, nil)
		if n := countCountries(t, normal); n != 0 {
			t.Errorf("the timed-out mutation wrote %d countries", n)
		}
	})
}

// wantError fails unless the first error of resp has code, names field
// (when not empty) and mentions msg.
func wantError(t *testing.T, resp *gqltest.Response, code, field, msg string) {
	t.Helper()
	wantCode(t, resp, code)
	e := resp.Errors[0]
	if field != "" && e.Field() != field {
		t.Errorf("extensions.field = %q, want %q (%s)", e.Field(), field, resp.Body)
	}
	if !strings.Contains(e.Message, msg) {
		t.Errorf("message %q does not mention %q", e.Message, msg)
	}
	t.Logf("answer: %s", resp.Body)
}

// TestCanceledBeforeExecution checks that a request whose client went
// away before its operation ran is answered with CANCELED (gqlgen gives no
// response then), without a panic.
func TestCanceledBeforeExecution(t *testing.T) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	handler := server.New(server.DefaultConfig(), dbtest.Open(t, "sqlite"), logger).Handler()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(`{"query": "{ countries(first: 5) { totalCount } }"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), apierr.Canceled) || rec.Code >= 500 {
		t.Errorf("status %d, body %s", rec.Code, rec.Body)
	}
	if panics := logs.lines("panic"); len(panics) > 0 {
		t.Errorf("the server panicked: %s", strings.Join(panics, "\n"))
	}
}
