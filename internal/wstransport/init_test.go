package wstransport_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bridgesoftrust/hub/internal/wstransport"
)

func TestInitPayloadAuthorization(t *testing.T) {
	for _, tc := range []struct {
		payload   wstransport.InitPayload
		auth      string
		token     string
		schemeErr bool
	}{
		{wstransport.InitPayload{"authorization": "Bearer abc"}, "Bearer abc", "abc", false},
		{wstransport.InitPayload{"Authorization": "bearer  abc "}, "bearer  abc ", "abc", false},
		{wstransport.InitPayload{"AuthoriZation": "BEARER abc"}, "BEARER abc", "abc", false},
		{wstransport.InitPayload{"headers": map[string]any{"Authorization": "Bearer h"}}, "Bearer h", "h", false},
		{wstransport.InitPayload{"authorization": 42}, "", "", false},
		{wstransport.InitPayload{}, "", "", false},
		{nil, "", "", false},
		{wstransport.InitPayload{"authorization": "Basic dXNlcg=="}, "Basic dXNlcg==", "", true},
		{wstransport.InitPayload{"authorization": "Bearer"}, "Bearer", "", true},
	} {
		if got := tc.payload.Authorization(); got != tc.auth {
			t.Errorf("%v: Authorization() = %q, want %q", tc.payload, got, tc.auth)
		}
		token, err := tc.payload.BearerToken()
		if token != tc.token || errors.Is(err, wstransport.ErrAuthScheme) != tc.schemeErr {
			t.Errorf("%v: BearerToken() = %q, %v", tc.payload, token, err)
		}
	}
}

func TestBearerAuthPassesToken(t *testing.T) {
	var seen []string
	init := wstransport.BearerAuth(func(ctx context.Context, token string) (context.Context, error) {
		seen = append(seen, token)
		return ctx, nil
	})
	for _, p := range []wstransport.InitPayload{{"Authorization": "Bearer t1"}, {}} {
		if _, _, err := init(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 2 || seen[0] != "t1" || seen[1] != "" {
		t.Fatalf("tokens %q", seen)
	}
	if _, _, err := init(context.Background(), wstransport.InitPayload{"authorization": "Basic x"}); !errors.Is(err, wstransport.ErrAuthScheme) {
		t.Fatalf("err %v", err)
	}
}

// TestDropInitPayload checks that with DropInitPayload operations see an
// empty payload (still telling them apart as websocket operations), while
// InitFunc saw the whole one.
func TestDropInitPayload(t *testing.T) {
	var seen string
	url := mount(t, newHub().server(), wstransport.New(wstransport.Config{
		DropInitPayload: true,
		InitFunc: func(ctx context.Context, p wstransport.InitPayload) (context.Context, *wstransport.InitPayload, error) {
			seen = p.GetString("client")
			return ctx, nil, nil
		},
	}))
	c := dial(t, url)
	c.init(map[string]any{"client": "portal"})
	c.subscribe("subscribe", "q1", "query { client }")
	if m := c.expect("next", "q1"); string(m.Payload) != `{"data":{"client":""}}` || seen != "portal" {
		t.Fatalf("operation saw %s, InitFunc saw %q; want an empty payload and portal", m.Payload, seen)
	}
}
