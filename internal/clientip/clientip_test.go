package clientip

import (
	"net/http"
	"testing"
)

// TestAddress resolves client addresses with and without trusted proxies.
func TestAddress(t *testing.T) {
	trusting, err := New([]string{"10.0.0.0/8", "2001:db8:1::/48", "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, peer, header, value, want string
	}{
		{"no proxy", "198.51.100.1:4000", "", "", "198.51.100.1"},
		{"untrusted peer writing X-Forwarded-For", "198.51.100.1:4000", "X-Forwarded-For", "203.0.113.9", "198.51.100.1"},
		{"trusted peer", "10.0.0.5:4000", "X-Forwarded-For", "203.0.113.9", "203.0.113.9"},
		{"a single trusted address", "192.0.2.1:4000", "X-Forwarded-For", "203.0.113.9", "203.0.113.9"},
		{"rightmost untrusted hop", "10.0.0.5:4000", "X-Forwarded-For", "1.1.1.1, 203.0.113.9, 10.2.2.2", "203.0.113.9"},
		{"every hop trusted", "10.0.0.5:4000", "X-Forwarded-For", "10.3.3.3", "10.0.0.5"},
		{"unparsable hop", "10.0.0.5:4000", "X-Forwarded-For", "203.0.113.9, garbage", "10.0.0.5"},
		{"no header", "10.0.0.5:4000", "", "", "10.0.0.5"},
		{"Forwarded", "10.0.0.5:4000", "Forwarded", `for=203.0.113.9;proto=https, for=10.1.1.1`, "203.0.113.9"},
		{"IPv6 Forwarded", "[2001:db8:1::5]:4000", "Forwarded", `for="[2001:db8:9::9]:4711"`, "2001:db8:9::9"},
		{"IPv6 untrusted peer", "[2001:db8:2::5]:4000", "X-Forwarded-For", "203.0.113.9", "2001:db8:2::5"},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: c.peer, Header: http.Header{}}
		if c.header != "" {
			r.Header.Set(c.header, c.value)
		}
		if got := trusting.Address(r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if got, want := (*Resolver)(nil).Address(r), (&Resolver{}).Address(r); got != want {
			t.Errorf("%s: a nil resolver says %q, an empty one %q", c.name, got, want)
		}
	}
}

// TestNewRefusesBadRanges refuses what is not an address or a range.
func TestNewRefusesBadRanges(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "example.org", "fe80::1%eth0"} {
		if _, err := New([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
