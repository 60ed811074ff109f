//go:build !unix

package main

// fileLimit reports no limit where the system has no RLIMIT_NOFILE.
func fileLimit() (uint64, bool) { return 0, false }
