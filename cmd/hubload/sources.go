package main

import (
	"fmt"
	"net"
)

// connectionsPerSource is how many connections -sources 0 puts on one
// source address: Linux's default ephemeral port range (32768-60999) has
// 28,232 ports per source address and destination.
const connectionsPerSource = 20_000

// sourceDialer returns the dialer of connection n: from 127.0.0.<n mod
// sources + 1>, or from any address with one source, so that more
// connections than one address has ephemeral ports can reach one server
// port over loopback.
func sourceDialer(n, sources int) *net.Dialer {
	if sources <= 1 {
		return &net.Dialer{}
	}
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(n%sources+1))}}
}

// fileMargin is how many files the tool needs beside its websockets (HTTP
// connections, the profile, standard files).
const fileMargin = 100

// checkFileLimit fails when this process may not open a file per
// connection. The Go runtime has raised the soft limit to the hard one; a
// higher hard limit needs root (`ulimit -Hn`, systemd's LimitNOFILE) for
// both this tool and the server, which holds one file per connection too.
func checkFileLimit(connections int) error {
	limit, ok := fileLimit()
	if !ok || uint64(connections+fileMargin) <= limit {
		return nil
	}
	return fmt.Errorf("%d connections need %d open files, the limit is %d: raise the hard limit (ulimit -Hn) of this tool and of the server", connections, connections+fileMargin, limit)
}
