package apierr_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"entgo.io/ent/privacy"
	"github.com/lib/pq"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

func TestGraphQLName(t *testing.T) {
	for in, want := range map[string]string{
		"code":                      "code",
		"eu_member":                 "euMember",
		"name_translations":         "nameTranslations",
		"country_id":                "countryID",
		"ukrainian_municipality_id": "ukrainianMunicipalityID",
		"activity_ids":              "activityIDs",
		"budget_eur":                "budgetEur",
		"id":                        "id",
		"startDate":                 "startDate",
	} {
		if got := apierr.GraphQLName(in); got != want {
			t.Errorf("GraphQLName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	ctx := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: 1})
	cases := []struct {
		name        string
		err         error
		code, field string
		msg         string
	}{
		{"field error", fmt.Errorf("hook: %w", validation.Errorf("end_date", "is before the start")),
			apierr.BadUserInput, "endDate", "endDate: is before the start"},
		{"api error", fmt.Errorf("wrapped: %w", apierr.Input("name", "too long")),
			apierr.BadUserInput, "name", "too long"},
		{"not found", fmt.Errorf("loading: %w", &ent.NotFoundError{}),
			apierr.NotFound, "", "not found"},
		{"privacy", fmt.Errorf("rule: %w", privacy.Deny),
			apierr.Forbidden, "", "not allowed"},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded),
			apierr.Timeout, "", "longer"},
		{"canceled", context.Canceled, apierr.Canceled, "", "canceled"},
		{"postgres canceled", fmt.Errorf("query: %w", &pq.Error{Code: "57014"}), apierr.Canceled, "", "canceled"},
		{"connection lost", fmt.Errorf("query: %w", driver.ErrBadConn), apierr.Unavailable, "", "unavailable"},
		{"connection reset", fmt.Errorf("query: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), apierr.Unavailable, "", "unavailable"},
		{"backend terminated", &pq.Error{Code: "57P01"}, apierr.Unavailable, "", "unavailable"},
		{"cannot connect", &pq.Error{Code: "08006"}, apierr.Unavailable, "", "unavailable"},
		{"unknown", errors.New(`pq: relation "countries" does not exist`),
			apierr.Internal, "", "internal server error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := apierr.Classify(ctx, c.err)
			if e.Code != c.code || e.Field != c.field || !strings.Contains(e.Message, c.msg) {
				t.Errorf("Classify = %+v, want code %s field %q message with %q", e, c.code, c.field, c.msg)
			}
			if e.Code == apierr.Internal && !errors.Is(e, c.err) {
				t.Error("an internal error must wrap its cause for the log")
			}
		})
	}
}

func TestPrivacyDenialWithoutViewerIsUnauthenticated(t *testing.T) {
	e := apierr.Classify(context.Background(), fmt.Errorf("rule: %w", privacy.Deny))
	if e.Code != apierr.Unauthenticated {
		t.Errorf("Classify = %+v, want UNAUTHENTICATED for an anonymous caller", e)
	}
}

func TestExtensions(t *testing.T) {
	ext := apierr.Input("code", "bad").Extensions()
	if ext["code"] != apierr.BadUserInput || ext["field"] != "code" {
		t.Errorf("extensions %v", ext)
	}
	if _, ok := apierr.New(apierr.NotFound, "gone").Extensions()["field"]; ok {
		t.Error("an error without a field must not report one")
	}
}
