// Package npmtest gives tests the npm packages of a testdata directory
// (its package.json and package-lock.json) for scripts run with Node.js:
// the graphql-ws client and the graphql-http audit. Without Node.js, or
// without installed packages and HUB_TEST_NPM=1 (CI sets it), the tests
// skip, and go test says so in one line.
package npmtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/bridgesoftrust/hub/internal/testnotice"
)

// Env names the environment variable that allows tests to install npm
// packages (npm ci, from the registry).
const Env = "HUB_TEST_NPM"

var skipOnce sync.Once

// Dir returns the path of node and a directory with dir's files and the
// packages of its lock file installed: dir itself when its node_modules
// holds pkg (installed by hand: npm ci --prefix dir), else, when
// HUB_TEST_NPM=1, a copy of dir's files in a temporary directory where
// npm ci installed them (so that parallel test binaries do not race on
// dir). Otherwise it skips the test.
func Dir(t *testing.T, dir, pkg string) (node, installed string) {
	t.Helper()
	if testing.Short() {
		skip(t, "tests with npm packages skipped in -short mode")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip(t, "node not found: tests with npm packages need Node.js 20+")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg)); err == nil {
		return node, dir
	}
	if os.Getenv(Env) != "1" {
		skip(t, fmt.Sprintf("%s/node_modules missing: tests with npm packages skipped (run `npm ci --prefix %s` or set %s=1)", dir, dir, Env))
	}
	installed = t.TempDir()
	if err := os.CopyFS(installed, os.DirFS(dir)); err != nil {
		t.Fatalf("copying %s: %v", dir, err)
	}
	if out, err := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--prefix", installed).CombinedOutput(); err != nil {
		t.Fatalf("npm ci: %v\n%s", err, out)
	}
	return node, installed
}

// skip skips the test, printing why once per go test run (testnotice).
func skip(t *testing.T, why string) {
	t.Helper()
	skipOnce.Do(func() { testnotice.Print("npm", "npm tests skipped: "+why) })
	t.Skip(why)
}
