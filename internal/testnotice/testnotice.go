// Package testnotice prints, once per `go test` run, a line saying which
// tests are skipped and why (PostgreSQL, npm or chromium not available).
//
// `go test ./...` hides what a passing package's tests write, so a line on
// stderr would show only with -v. The line goes to the terminal instead
// (/dev/tty) when there is one, and to stderr otherwise; a marker file
// named after the go command's process (every package's test binary is
// its child) makes it print once across all the packages of a run.
package testnotice

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// Print prints line once per go test run for key (e.g. "postgres").
func Print(key, line string) {
	marker := filepath.Join(os.TempDir(), fmt.Sprintf("hub-test-notice-%d-%s", os.Getppid(), safe.ReplaceAllString(key, "_")))
	f, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return // another package of this run printed it
	}
	if err == nil {
		_ = f.Close()
	}
	out := os.Stderr
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		out = tty
	}
	fmt.Fprintln(out, line)
}

// safe keeps a key fit for a file name.
var safe = regexp.MustCompile(`[^a-z0-9]+`)
