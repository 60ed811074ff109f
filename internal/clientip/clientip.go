// Package clientip finds the address of the client of an HTTP request,
// also behind reverse proxies the operator trusts. The header parsing is
// realclientip-go's (X-Forwarded-For and RFC 7239 Forwarded, rightmost
// untrusted hop); this package adds the rule that the headers count only
// when the request comes from a trusted proxy.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"slices"

	"github.com/realclientip/realclientip-go"
)

// Resolver finds client addresses. The zero Resolver trusts no proxy.
type Resolver struct {
	trusted []net.IPNet
	// forwarded reads the rightmost untrusted hop of X-Forwarded-For, then
	// of Forwarded.
	forwarded realclientip.Strategy
}

// New returns a Resolver that trusts the proxies in the given addresses
// and CIDR ranges (e.g. "10.0.0.0/8", "::1").
func New(trusted []string) (*Resolver, error) {
	ranges, err := realclientip.AddressesAndRangesToIPNets(trusted...)
	if err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	xff, err := realclientip.NewRightmostTrustedRangeStrategy("X-Forwarded-For", ranges)
	if err != nil {
		return nil, err
	}
	fwd, err := realclientip.NewRightmostTrustedRangeStrategy("Forwarded", ranges)
	if err != nil {
		return nil, err
	}
	return &Resolver{trusted: ranges, forwarded: realclientip.NewChainStrategy(xff, fwd)}, nil
}

// Address returns the client address of r: the socket's peer, unless the
// peer is a trusted proxy and X-Forwarded-For (or, without it, Forwarded)
// names a hop outside the trusted ranges; then the rightmost such hop.
// Headers from any other peer are ignored, since anyone can write them.
func (res *Resolver) Address(r *http.Request) string {
	peer := realclientip.RemoteAddrStrategy{}.ClientIP(nil, r.RemoteAddr)
	if peer == "" {
		return r.RemoteAddr // not an IP socket (a Unix socket, a test)
	}
	if res == nil || !res.trusts(peer) {
		return peer
	}
	if client := res.forwarded.ClientIP(r.Header, r.RemoteAddr); client != "" {
		return client
	}
	return peer
}

// trusts reports whether the address ip is in a trusted range.
func (res *Resolver) trusts(ip string) bool {
	addr, err := realclientip.ParseIPAddr(ip)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(res.trusted, func(n net.IPNet) bool { return n.Contains(addr.IP) })
}
